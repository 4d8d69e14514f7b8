/**
 * The subject line: the day, then the most severe finding named in our own words (the source
 * catalogue's label, else the kind of finding), the findings counted by severity, and the alarms
 * when there are any, for example `[kansa] 2026-10-05: high — MFA enrollment removed; 2 high,
 * 3 medium, 12 low; 1 alarm`. A model without findings (before issue 23) keeps the four list
 * counts: `[kansa] 2026-10-05: 2 exports, 3 critical, 1 late-night login, 4 outliers`.
 * With KANSA_CONFIG's organisations, the organisation's name follows "kansa" (`[kansa acme] ...`):
 * a name from the configuration, restricted to letters, digits, ".", "_" and "-".
 * Only numbers and our own words: no string from a log (account, app, address, path) ever
 * reaches a header.
 */
import { SEVERITIES, type Finding, type ReportModel } from "../core/report-model.ts";
import { labelsFor, type Labels, type ReportLang } from "./labels.ts";

/** The subject of the report mail for `model` in `lang`. */
export function reportSubject(model: ReportModel, lang: ReportLang): string {
  const t = labelsFor(lang);
  const failed = model.sources.filter((s) => s.errors.length > 0).length;
  const alarmCount = model.alarms?.length ?? 0;
  const alarms = alarmCount > 0 ? [t.sectionCount.alarms(alarmCount, failed)] : failed > 0 ? [t.sectionCount.failedSources(failed)] : [];
  const day = /^\d{4}-\d{2}-\d{2}$/.test(model.day) ? model.day : "invalid day";
  const tag = model.organisation !== undefined && /^[A-Za-z0-9._-]{1,64}$/.test(model.organisation) ? `[kansa ${model.organisation}]` : "[kansa]";
  if (model.findings === undefined) {
    const parts = [
      ...alarms,
      t.sectionCount.exports(model.sections.exports.total),
      t.sectionCount.critical(model.sections.critical.total),
      t.sectionCount.lateNight(model.sections.lateNight.total),
      t.sectionCount.outliers(model.sections.outliers.total),
    ];
    return `${tag} ${day}: ${parts.join(t.subjectJoin)}`;
  }
  const listed = model.findings.filter((f) => f.expected === undefined);
  const rank = (f: Finding) => SEVERITIES.indexOf(f.severity);
  const top = listed.reduce<Finding | undefined>((best, f) => (best === undefined || rank(f) < rank(best) ? f : best), undefined);
  const count = (severity: Finding["severity"]) => listed.filter((f) => f.severity === severity).length;
  const parts = [
    top ? `${t.severity[top.severity]} — ${findingName(top, t)}` : t.subjectNoFindings,
    ...(top ? [t.findingCounts(count("high"), count("medium"), count("low"))] : []),
    ...alarms,
  ];
  return `${tag} ${day}: ${parts.join(t.subjectSeparator)}`;
}

/**
 * What a finding is, in our own words only: the label of the source catalogue's entry (our
 * catalogue's data, in the report's language) when it has one, else the name of its kind. Never
 * the account, the app or a path from the log. The label is kept to plain printable characters.
 */
export function findingName(finding: Finding, t: Labels): string {
  const catalogue = finding.reasonDetails.find((r) => r.code === "catalogue");
  const label = catalogue?.params[t.lang === "ja" ? "labelJa" : "label"];
  const plain = typeof label === "string" ? label.replace(/[\p{C}\p{Zl}\p{Zp}]/gu, " ").replace(/\s+/g, " ").trim().slice(0, 80) : "";
  return plain !== "" ? plain : t.kind[finding.kind];
}
