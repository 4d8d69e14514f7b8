/**
 * The subject line: the day, the alarms when there are any (with the failed sources among them),
 * and the four counts, for example `[kansa] 2026-10-05: 1 alarm, 2 exports, 3 critical,
 * 1 late-night login, 4 outliers`. Only numbers and our own words: no string from a log ever
 * reaches a header.
 */
import type { ReportModel } from "../core/report-model.ts";
import { labelsFor, type ReportLang } from "./labels.ts";

/** The subject of the report mail for `model` in `lang`. */
export function reportSubject(model: ReportModel, lang: ReportLang): string {
  const t = labelsFor(lang);
  const failed = model.sources.filter((s) => s.errors.length > 0).length;
  const alarms = model.alarms?.length ?? 0;
  const parts = [
    ...(alarms > 0 ? [t.sectionCount.alarms(alarms, failed)] : failed > 0 ? [t.sectionCount.failedSources(failed)] : []),
    t.sectionCount.exports(model.sections.exports.total),
    t.sectionCount.critical(model.sections.critical.total),
    t.sectionCount.lateNight(model.sections.lateNight.total),
    t.sectionCount.outliers(model.sections.outliers.total),
  ];
  const day = /^\d{4}-\d{2}-\d{2}$/.test(model.day) ? model.day : "invalid day";
  return `[kansa] ${day}: ${parts.join(t.subjectJoin)}`;
}
