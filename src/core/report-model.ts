/**
 * The daily report as plain data: built by src/report/build-report.ts, printed by `--json`,
 * rendered by the mail templates. This is the stable JSON contract documented in the README;
 * add fields, never rename or remove them.
 */

import type { CollectStats } from "./types.ts";

/** An event as listed in a section. `occurredAt` is ISO 8601 with the report zone's offset. */
export interface ReportEvent {
  source: string;
  tenant: string;
  externalId: string;
  occurredAt: string;
  account: string;
  action: string;
  ip: string;
  appId: string | null;
  appName: string | null;
  level: string | null;
  result?: string | null;
}

export interface Contribution {
  feature: string;
  /** Share of the squared distance this feature accounts for (0..1, may be negative for correlated features). */
  share: number;
}

export interface OutlierEvent extends ReportEvent {
  distance: number;
  featureSet: string;
  contributions: Contribution[];
  /** Sentences that explain the outlier in words (profile feature set); may be empty. */
  explanations?: string[];
  /** What the baseline month knew of this account, shown beside the outlier; absent when unknown. */
  accountProfile?: AccountProfile | null;
}

/** An account's habits in the baseline month (report time zone), for the reader of an outlier. */
export interface AccountProfile {
  /** Hours of day (0..23) in which the account was usually active. */
  usualHours: number[];
  /** Addresses the account used in the baseline month (most frequent first, capped by the builder). */
  knownIps: string[];
  /** Events of the account in the baseline month. */
  events?: number;
  /** Days of the baseline month on which the account was active. */
  activeDays?: number;
}

/** A section: its entries (capped at REPORT_SECTION_LIMIT) and how many there are in all. */
export interface Section<T> {
  total: number;
  items: T[];
  omitted: number;
}

export interface SourceHealth extends CollectStats {
  source: string;
  tenant: string;
  errors: string[];
  /** Hours since the source's last successful pull; null before the first. */
  cursorAgeHours: number | null;
  /** Events of the reported day stored for this source. */
  eventsThatDay?: number;
  /** Events of the reported day whose IP could not be parsed as an address. */
  unparsableIps?: number;
  /** Events of the reported day whose action (a type code) the source's table does not know; absent: the source keeps no such table. */
  unknownActions?: number;
  warnings?: string[];
  /** Features left out of this source's distances because they were constant in the baseline month. */
  droppedFeatures?: string[];
}

export interface BaselineInfo {
  source: string;
  tenant: string;
  month: string;
  n: number;
  featureSet: string;
  droppedFeatures: string[];
  /** False when the month had fewer than MIN_BASELINE_EVENTS: no outliers were computed. */
  available?: boolean;
  /** The threshold compared with distances for this baseline. */
  threshold?: number;
  /** Sentence for the reader when no baseline exists (how to get one). */
  notice?: string;
  /** How the distance was solved: cholesky, pseudo-inverse, or none (every feature constant). */
  method?: string;
  /** When the baseline was computed (ISO 8601, UTC). */
  computedAt?: string;
  /** Distinct accounts in the baseline month. */
  accounts?: number;
}

export interface HistogramBin {
  hour: number;
  /** Events of the reported day in this hour (report time zone). */
  day: number;
  /** The baseline month's average per day in this hour. */
  baselineAverage: number;
}

/**
 * Something kansa could not do, or a sign that data is missing, shown before everything else:
 * - `source-failed`: collecting the source failed this run (the exit code is non-zero);
 * - `source-silent`: a source and tenant with a baseline stored no event for the day, or far
 *   fewer than its usual day of the same kind (weekday or weekend) in the baseline month;
 * - `baseline-missing`: the baseline month has too few stored events, so nothing was scored;
 * - `retention-gap`: entries may be lost because the source's own retention ran out between pulls.
 * Silence and missing baselines are alarms, not failures: they do not change the exit code.
 */
export type AlarmKind = "source-failed" | "source-silent" | "baseline-missing" | "retention-gap";

export interface Alarm {
  kind: AlarmKind;
  source: string;
  tenant: string;
  /** One English sentence for the reader (the mail words it in REPORT_LANG from the fields below). */
  message: string;
  /** The command that fixes it, where there is one. */
  fix?: string;
  /** source-failed: the collection's errors; retention-gap: the source's own sentence. */
  detail?: string;
  /** source-silent: the day's events, and the usual (median) count of a day of the same kind. */
  observed?: number;
  expected?: number;
  /** source-silent: "weekday" or "weekend". */
  dayKind?: "weekday" | "weekend";
  /** baseline-missing: the month, its stored events, and the fewest a baseline needs. */
  month?: string;
  minimum?: number;
}

/** How serious a finding is: high first. */
export type Severity = "high" | "medium" | "low";

/** The severities, most serious first. */
export const SEVERITIES: readonly Severity[] = ["high", "medium", "low"];

/**
 * What a finding is mainly about, from its most serious event: a change a source's severity
 * catalogue lists (`critical`), data taken out (`export`), a login in the late-night window,
 * failed logins then a success, an event unusual for its account (`outlier`), or what the
 * account does regularly (`routine`, always low).
 */
export type FindingKind = "critical" | "export" | "late-night" | "failed-then-succeeded" | "outlier" | "routine";

/**
 * Why a finding is listed, as data: `code` names the reason, `params` its values; the mail words
 * it in REPORT_LANG (src/report/findings/words.ts), `text` is the English sentence (as in
 * `Finding.reasons`).
 */
export interface FindingReason {
  code: string;
  text: string;
  params: Record<string, string | number | boolean>;
}

/** An event of a finding: the listed event plus what the finding knows of it. */
export interface FindingEvent extends ReportEvent {
  /** The action in words (the source's description of it, such as an API tenant's words for a log type); absent: the action itself. */
  description?: string;
  /** The same in Japanese, where its source gives it. */
  descriptionJa?: string;
  /** Its own severity (the source's catalogue, or as an outlier); absent: none of its own. */
  severity?: Severity;
  /** Its distance and how it compares with last month's (share of the baseline month's distances below it, 0..1). */
  distance?: number;
  percentile?: number;
  /** The sections it is in. */
  flags: ("critical" | "export" | "late-night" | "failed-login" | "outlier")[];
}

/** Counts of a finding by action, app or address. */
export interface FindingCount {
  /** The action, the app id, the address. */
  key: string;
  /** The action in words, the app's name; absent: the key itself. */
  label?: string;
  /** The action in Japanese words, where its source gives them. */
  labelJa?: string;
  count: number;
  /** Addresses: first time the account used it (the baseline month knew it not). */
  new?: boolean;
}

/** How a finding was turned into "expected": by an allow-list rule or by `kansa ack`. */
export interface FindingExpected {
  by: "allow-list" | "ack";
  /** The allow-list rule as written, or the acknowledgement's reason. */
  rule?: string;
  reason?: string;
  /** When it was acknowledged (ISO 8601). */
  at?: string;
}

/**
 * One finding: one person's notable events close in time (an episode), across sources where the
 * person's accounts match, ranked by severity. See src/report/findings/.
 */
export interface Finding {
  /** Stable id (`kansa ack ID`): the day, the person and the episode's first event. */
  id: string;
  severity: Severity;
  kind: FindingKind;
  /** Source, tenant and account of the first event; `accounts` lists every one linked in. */
  source: string;
  tenant: string;
  account: string;
  accounts: { source: string; tenant: string; account: string }[];
  /** First and last event (ISO 8601 with the report zone's offset). */
  from: string;
  to: string;
  /** One sentence in English; the mail composes its own in REPORT_LANG from the fields. */
  summary: string;
  /** The reasons in English, most telling first. */
  reasons: string[];
  reasonDetails: FindingReason[];
  eventCount: number;
  actions: FindingCount[];
  apps: FindingCount[];
  addresses: FindingCount[];
  /** Routine: how many days of the baseline month the account did the same. */
  routine?: { days: number; month: string };
  /** The most unusual event's share of last month's distances below it (0..1); absent without outliers. */
  percentile?: number;
  /** Set when an allow-list rule or an acknowledgement made it expected: counted, not listed. */
  expected?: FindingExpected;
  events: FindingEvent[];
}

/** What the allow-list and acknowledgements turned into "expected" on the reported day (the mail's footer). */
export interface SuppressionSummary {
  allowListed: number;
  acknowledged: number;
  /** The allow-list rules that matched, and how many findings each. */
  rules: { rule: string; findings: number }[];
  /** Acknowledgements stored so far (most recent first, capped), for the footer. */
  recentAcks?: { findingId: string; reason: string; at: string }[];
}

/** Where the outlier thresholds come from: ANOMALY_LENGTH ("setting") or each baseline's feature-set default ("baseline"). */
export type ThresholdSource = "setting" | "baseline";

export interface ReportModel {
  /** The organisation reported on, when KANSA_CONFIG names organisations (absent: the single-organisation settings). */
  organisation?: string;
  /** The reported day, YYYY-MM-DD in the report time zone. */
  day: string;
  timezone: string;
  generatedAt: string;
  sources: SourceHealth[];
  baselines: BaselineInfo[];
  /** What kansa could not do or found missing, most serious first (see Alarm). */
  alarms: Alarm[];
  sections: {
    exports: Section<ReportEvent>;
    critical: Section<ReportEvent>;
    lateNight: Section<ReportEvent> & { failed?: Section<ReportEvent> };
    outliers: Section<OutlierEvent>;
  };
  histogram: HistogramBin[];
  /** Settings that shaped the report. */
  settings?: {
    anomalyLength: number;
    featureSet: string;
    lateNightWindow: string;
    lang?: string;
    thresholdSource?: ThresholdSource;
  };
  /** The baseline month (YYYY-MM, report time zone): the calendar month before the reported day's. */
  baselineMonth?: string;
  /** Total events of the day over all sources. */
  totalEvents?: number;
  notices?: string[];
  /**
   * The day's notable events grouped into findings, most severe first (issue 23). Every finding
   * is here, expected ones included (with `expected` set); nothing is cut at REPORT_SECTION_LIMIT.
   */
  findings?: Finding[];
  /** What was made expected, and by what. */
  suppression?: SuppressionSummary;
}

/**
 * The outlier thresholds the report applied: each baseline's own (ANOMALY_LENGTH when set, else
 * the feature set's default for that baseline, such as profile's quantile), once each; without
 * any baseline, the settings' value. This, not `settings.anomalyLength` alone, is what a reader
 * is told distances were compared with.
 */
export function appliedThresholds(model: Pick<ReportModel, "baselines" | "settings">): number[] {
  const own = [...new Set(model.baselines.filter((b) => b.available !== false).map((b) => b.threshold).filter((v): v is number => typeof v === "number" && Number.isFinite(v)))];
  if (own.length > 0) return own;
  const setting = model.settings?.anomalyLength;
  return typeof setting === "number" && Number.isFinite(setting) ? [setting] : [];
}
