/**
 * The daily job's work after collection: build the report of the day before `today` from the
 * store. The lead adds collection before it (passing the counters in `collection`), the mail
 * stage adds sending after it; both extend this function rather than the command.
 */
import type { Config } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import { appliedThresholds, type ReportModel } from "../core/report-model.ts";
import type { Database } from "../store/database.ts";
import { buildReport, type BuildReportOptions, type SourceCollection } from "../report/build-report.ts";
import { parseDay, reportedDay, todayIn } from "../core/calendar.ts";
import { now as clockNow } from "../core/clock.ts";
import { displayText } from "../core/display-text.ts";

export interface DailyReportOptions {
  /** YYYY-MM-DD in REPORT_TIMEZONE; default: today there. The report covers the day before. */
  today?: string;
  /** False for --no-mail. (Sending is added by the mail stage.) */
  mail?: boolean;
  /** Counters of what this run collected, per source+tenant. */
  collection?: SourceCollection[];
  /** Sentences for the report from earlier steps (a source that failed...). */
  notices?: string[];
  featureSet?: string;
  /** The organisation of KANSA_CONFIG reported on (see BuildReportOptions.organisation). */
  organisation?: BuildReportOptions["organisation"];
  log?: Logger;
  /** The clock (tests). */
  now?: Date;
}

export interface DailyReportResult {
  today: string;
  day: string;
  report: ReportModel;
  durationMs: number;
}

/** Build the day's report model from the store (fitting missing baselines on the way). */
export async function runDailyReport(db: Database, config: Config, options: DailyReportOptions = {}): Promise<DailyReportResult> {
  const started = Date.now();
  const now = options.now ?? clockNow();
  const today = options.today !== undefined ? parseDay(options.today) : todayIn(config.reportTimezone, now);
  const { day } = reportedDay(today);
  const report = await buildReport(db, config, today, {
    now,
    ...(options.collection ? { collection: options.collection } : {}),
    ...(options.notices ? { notices: options.notices } : {}),
    ...(options.featureSet ? { featureSet: options.featureSet } : {}),
    ...(options.organisation ? { organisation: options.organisation } : {}),
  });
  const durationMs = Date.now() - started;
  options.log?.info(
    { day, events: report.totalEvents, outliers: report.sections.outliers.total, exports: report.sections.exports.total, durationMs },
    "report built",
  );
  return { today, day, report, durationMs };
}

/** Entries of a list that grows with tenants printed in the run's summary; the rest are counted. */
const SUMMARY_LIST_LIMIT = 20;

/** The first SUMMARY_LIST_LIMIT of `items` as lines, then one line counting the rest. */
function boundedLines<T>(items: readonly T[], what: string, line: (item: T) => string): string[] {
  const lines = items.slice(0, SUMMARY_LIST_LIMIT).map(line);
  const rest = items.length - SUMMARY_LIST_LIMIT;
  if (rest > 0) lines.push(`  … and ${rest} more ${what} (kansa report --json lists them all).`);
  return lines;
}

/** A short human summary of a report (what `kansa run` prints without --json), bounded whatever the number of tenants. */
export function summarizeReport(report: ReportModel): string {
  const s = report.sections;
  const lines = [
    `kansa report${report.organisation !== undefined ? ` of ${report.organisation}` : ""} for ${report.day} (${report.timezone}): ${report.totalEvents ?? 0} event(s) from ${report.sources.length} source(s)${report.alarms.length > 0 ? `, ${report.alarms.length} alarm(s)` : ""}.`,
    ...boundedLines(report.alarms, "alarms", (a) => `  ALARM ${a.kind}: ${displayText(a.message)}`),
    `  exports ${s.exports.total}, critical ${s.critical.total}, late-night logins ${s.lateNight.total} (failed ${s.lateNight.failed?.total ?? 0}), outliers ${s.outliers.total} (distance > ${appliedThresholds(report).map((v) => Number(v.toFixed(2))).join(" / ") || "?"}).`,
  ];
  lines.push(
    ...boundedLines(report.sources, "sources", (source) => {
      const baseline = report.baselines.find((b) => b.source === source.source && b.tenant === source.tenant);
      const base = baseline?.available ? `baseline ${baseline.month} n=${baseline.n}` : `no baseline for ${baseline?.month ?? "?"}`;
      return `  ${source.source} ${displayText(source.tenant)}: ${source.eventsThatDay ?? 0} event(s), ${base}${source.unparsableIps ? `, ${source.unparsableIps} unparsable IP(s)` : ""}${source.unknownActions ? `, ${source.unknownActions} action(s) not in the source's table` : ""}.`;
    }),
  );
  if (report.findings) {
    const listed = report.findings.filter((f) => !f.expected);
    const count = (severity: string) => listed.filter((f) => f.severity === severity).length;
    lines.push(`  findings: ${count("high")} high, ${count("medium")} medium, ${count("low")} low${listed.length < report.findings.length ? `, ${report.findings.length - listed.length} expected` : ""}.`);
    lines.push(...boundedLines(listed.filter((f) => f.severity !== "low"), "findings", (f) => `  ${f.severity.toUpperCase().padEnd(6)} ${f.id}  ${displayText(f.summary, 240)}`));
  }
  for (const outlier of s.outliers.items.slice(0, 10)) {
    const top = outlier.contributions[0];
    lines.push(`  outlier ${outlier.distance.toFixed(2)}  ${outlier.occurredAt}  ${displayText(outlier.account)}  ${displayText(outlier.action)}${top ? `  (mostly ${top.feature})` : ""}`);
  }
  lines.push(...boundedLines(report.notices ?? [], "notes", (notice) => `  note: ${displayText(notice)}`));
  return lines.join("\n");
}
