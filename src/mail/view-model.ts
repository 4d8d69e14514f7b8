/**
 * The report model turned into what the templates print, in the mail's order: alarms, the
 * findings (./findings-view.ts), the day's lists as a compact appendix, the summary, the hour
 * chart and source health. Every string already in the report's language and time zone, every
 * log string made visible and capped (./format.ts), histogram bars as percentages. Pure: the
 * same model and language give the same view. The templates escape everything they print;
 * nothing here is markup.
 *
 * Bounded whatever the model holds: tenants can be many (several organisations, one `--tenant`
 * per import), and each brings an alarm, a baseline, notices and source-health rows. Every list
 * that grows with sources and tenants shows its most important `maxScopes` entries and one line
 * counting the rest and naming the command that lists them all; the appendix lists show at most
 * APPENDIX_ITEMS entries each (fewer with `maxItems`). So the mail's size depends on these caps
 * and on the number of high findings (never cut), not on the number of tenants or events.
 */
import { appliedThresholds, type Alarm, type BaselineInfo, type ReportEvent, type ReportModel, type Section, type SourceHealth } from "../core/report-model.ts";
import { featureInWords } from "./feature-words.ts";
import { findingsView, type FindingsView } from "./findings-view.ts";
import { displayText, formatEventTime, formatInstant, formatNumber, zoneOffset } from "./format.ts";
import { labelsFor, type Labels, type ReportLang } from "./labels.ts";

export interface EventView {
  time: string;
  account: string;
  action: string;
  /** IP, app, level and result joined, for the second line of an entry. */
  details: string;
  source: string;
}

export interface SectionView<T> {
  heading: string;
  total: number;
  totalText: string;
  items: T[];
  empty: boolean;
  omittedText: string | null;
}

export interface SourceView {
  name: string;
  counts: string;
  cursorAge: string;
  eventsThatDay: string | null;
  unparsableIps: string | null;
  unknownActions: string | null;
  errors: string[];
  warnings: string[];
  hasProblems: boolean;
}

export interface AlarmView {
  kind: string;
  text: string;
  fix: string | null;
}

export interface BaselineView {
  name: string;
  line: string;
  zeroVariance: string | null;
  notice: string | null;
}

export interface HistogramRowView {
  hour: string;
  day: string;
  baseline: string;
  dayPercent: number;
  dayRest: number;
  baselinePercent: number;
  baselineRest: number;
  lateNight: boolean;
  /** The row in the plain-text part: hour, a bar of `#`, the day's count and the baseline average. */
  textLine: string;
}

export interface ReportView {
  lang: ReportLang;
  t: Labels;
  title: string;
  heading: string;
  timesIn: string;
  generated: string;
  /** Shown before everything else; empty on a day when nothing is missing. The most serious first, at most `maxScopes`. */
  alarms: AlarmView[];
  /** How many alarms the day has in all (the heading's count), and the line counting those not listed. */
  alarmCount: string;
  alarmsMore: string | null;
  /** The findings, most severe first: what the reader acts on (issue 23). */
  findings: FindingsView;
  summary: {
    totalEvents: string;
    /** The day's list counts on one line. */
    counts: string;
    perSource: { name: string; count: string }[];
    perSourceMore: string | null;
    baselines: { name: string; month: string }[];
    baselinesMore: string | null;
    threshold: string;
    featureSet: string;
    notices: string[];
    noticesMore: string | null;
  };
  /** The plain lists of the day, one line per event and capped: the findings hold what matters. */
  appendix: { heading: string; intro: string; lists: SectionView<EventView>[] };
  health: { sources: SourceView[]; sourcesMore: string | null; baselines: BaselineView[]; baselinesMore: string | null; noSources: boolean };
  /** `htmlBars`: the HTML draws the chart; false with `hasBars` when the size budget left it out (the text part still has it). */
  histogram: { rows: HistogramRowView[]; textLines: string[]; empty: boolean; hasBars: boolean; htmlBars: boolean; lateNightWindow: string };
}

export interface ViewOptions {
  lang: ReportLang;
  /**
   * Further cap on entries per appendix list (at most APPENDIX_ITEMS), on the events per finding,
   * and on the medium and low findings listed. High findings are never cut.
   */
  maxItems?: number;
  /** Entries listed per list that grows with sources and tenants (alarms, events per source, baselines, notices, source health); default DEFAULT_MAX_SCOPES. */
  maxScopes?: number;
  /** Failures and warnings listed per source; default DEFAULT_MAX_LINES. */
  maxLines?: number;
  /** Alarms listed (they come first and are cut last); default `maxScopes`. */
  maxAlarms?: number;
  /** Draw the hour-of-day chart in the HTML (default true); false shows a line saying it was left out. */
  histogramBars?: boolean;
}

/** Entries listed per source-and-tenant list when nothing smaller is asked for. */
export const DEFAULT_MAX_SCOPES = 20;
/** Failures and warnings listed per source when nothing smaller is asked for. */
export const DEFAULT_MAX_LINES = 10;
/** Entries per list of the appendix (exports, critical, late-night): one line each. */
export const APPENDIX_ITEMS = 3;
/** Width of a text histogram bar: two columns of hours (00–11 beside 12–23) fit in 80 characters. */
const TEXT_BAR = 14;
/** More distinct outlier thresholds than this are shown as their range. */
const MAX_THRESHOLDS_LISTED = 4;

/**
 * The `maxEntries` most important entries of `list` (all of them, in their order, when it is not
 * longer): ranked by `rank` (larger first, compared element by element; ties keep the model's
 * order), else the model's order. `more` counts those left out.
 */
export function mostImportant<T>(list: readonly T[], maxEntries: number, rank?: (entry: T) => number[]): { shown: T[]; more: number } {
  const cap = Math.max(0, Math.floor(maxEntries));
  if (list.length <= cap) return { shown: [...list], more: 0 };
  const ordered = rank
    ? list
        .map((entry, index) => ({ entry, index, key: rank(entry) }))
        .sort((a, b) => {
          for (let i = 0; i < Math.max(a.key.length, b.key.length); i++) {
            const d = (b.key[i] ?? 0) - (a.key[i] ?? 0);
            if (d !== 0) return d;
          }
          return a.index - b.index;
        })
        .map((e) => e.entry)
    : list;
  return { shown: ordered.slice(0, cap), more: list.length - cap };
}

/** The command whose JSON lists everything the mail of `day` leaves out (the run date is the day after). */
export function fullReportCommand(day: string): string {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : Number.NaN;
  const today = Number.isNaN(at) ? "YYYY-MM-DD" : new Date(at + 86_400_000).toISOString().slice(0, 10);
  return `kansa report --today ${today} --json`;
}

/** Build the template view of `model` in `options.lang`. */
export function buildView(model: ReportModel, options: ViewOptions): ReportView {
  const t = labelsFor(options.lang);
  const lang = options.lang;
  const maxScopes = options.maxScopes ?? DEFAULT_MAX_SCOPES;
  const maxLines = options.maxLines ?? DEFAULT_MAX_LINES;
  const fullList = fullReportCommand(model.day);
  const zone = model.timezone;
  const num = (n: number, digits = 0) => formatNumber(n, lang, digits);
  const window = model.settings?.lateNightWindow ?? "02:00-05:00";

  // The lists' events carry no description; a finding's copy of the same event does (its source's words for a type code).
  const eventKey = (e: ReportEvent) => `${e.source}\u0000${e.tenant}\u0000${e.externalId}`;
  const descriptions = new Map((model.findings ?? []).flatMap((f) => f.events).filter((e) => e.description).map((e) => [eventKey(e), e.description!]));
  const eventView = (e: ReportEvent): EventView => {
    const app = e.appName ? `${t.app} ${displayText(e.appName, 80)}${e.appId ? ` (${displayText(e.appId, 40)})` : ""}` : e.appId ? `${t.app} ${displayText(e.appId, 40)}` : "";
    const details = [displayText(e.ip, 60), app, displayText(e.level, 30), displayText(e.result ?? null, 30)].filter((s) => s !== "");
    return {
      time: formatEventTime(e.occurredAt, zone, model.day),
      account: e.account === "" ? t.noAccount : displayText(e.account, 120),
      action: displayText(descriptions.get(eventKey(e)) ?? e.action, 120),
      details: details.join(" · "),
      source: `${displayText(e.source, 30)} / ${displayText(e.tenant, 80)}`,
    };
  };

  const appendixItems = Math.max(0, Math.min(APPENDIX_ITEMS, options.maxItems ?? Infinity));
  const section = (heading: string, s: Section<ReportEvent>): SectionView<EventView> => {
    const shown = s.items.slice(0, appendixItems);
    const omitted = s.omitted + (s.items.length - shown.length);
    return {
      heading,
      total: s.total,
      totalText: num(s.total),
      items: shown.map(eventView),
      empty: s.total === 0 && shown.length === 0,
      omittedText: omitted > 0 ? t.appendixMore(omitted, fullList) : null,
    };
  };

  const thresholds = appliedThresholds(model);
  const threshold = thresholds.length > MAX_THRESHOLDS_LISTED
    ? `${num(thresholds.reduce((a, b) => Math.min(a, b)), 2)}–${num(thresholds.reduce((a, b) => Math.max(a, b)), 2)}`
    : thresholds.map((v) => num(v, 2)).join(" / ") || "—";
  const featureSet = model.settings?.featureSet ?? ([...new Set(model.baselines.map((b) => b.featureSet))].join(", ") || "—");
  const source = model.settings?.thresholdSource;
  const thresholdWithSource = source === undefined || threshold === "—"
    ? threshold
    : `${threshold} (${source === "setting" ? t.thresholdFrom.setting : t.thresholdFrom.baseline(displayText(featureSet, 60))})`;
  const totalEvents = model.totalEvents ?? model.sources.reduce((sum, s) => sum + (s.eventsThatDay ?? 0), 0);

  const lateNight = model.sections.lateNight;
  const alarms = mostImportant(model.alarms ?? [], options.maxAlarms ?? maxScopes);
  const events = (s: SourceHealth) => s.eventsThatDay ?? 0;
  const perSource = mostImportant(model.sources, maxScopes, (s) => [events(s)]);
  const sources = mostImportant(model.sources, maxScopes, (s) => [s.errors.length > 0 ? 1 : 0, (s.warnings ?? []).length > 0 ? 1 : 0, s.unparsableIps || s.unknownActions ? 1 : 0, events(s)]);
  const baselines = mostImportant(model.baselines, maxScopes, (b) => [b.available === false ? 1 : 0, b.droppedFeatures.length > 0 ? 1 : 0, b.n]);
  const notices = mostImportant(model.notices ?? [], maxScopes);
  const moreTenants = (n: number) => (n > 0 ? t.moreTenants(n, fullList) : null);
  return {
    lang,
    t,
    title: `${t.title} — ${model.day}`,
    heading: t.reportFor(model.day),
    timesIn: t.timesIn(zone, zoneOffset(zone, model.day)),
    generated: t.generatedAt(formatInstant(model.generatedAt, zone)),
    alarms: alarms.shown.map((a) => alarmView(a, model.day, t, num)),
    alarmCount: num(model.alarms?.length ?? 0),
    alarmsMore: alarms.more > 0 ? t.moreAlarms(alarms.more, fullList) : null,
    findings: findingsView(model, t, fullList, options.maxItems === undefined ? {} : { maxEvents: options.maxItems, maxMedium: Math.max(5, options.maxItems), maxLow: options.maxItems }),
    summary: {
      totalEvents: num(totalEvents),
      counts: [
        t.sectionCount.exports(model.sections.exports.total),
        t.sectionCount.critical(model.sections.critical.total),
        t.sectionCount.lateNight(lateNight.total),
        t.sectionCount.outliers(model.sections.outliers.total),
      ].join(t.subjectJoin),
      perSource: perSource.shown.map((s) => ({ name: sourceName(s), count: s.eventsThatDay === undefined ? "—" : num(s.eventsThatDay) })),
      perSourceMore: moreTenants(perSource.more),
      baselines: baselines.shown.map((b) => ({
        name: sourceName(b),
        month: b.available === false ? `${displayText(b.month, 20)} (${t.noBaseline})` : `${displayText(b.month, 20)} (${num(b.n)})`,
      })),
      baselinesMore: moreTenants(baselines.more),
      threshold: thresholdWithSource,
      featureSet: displayText(featureSet, 60),
      notices: notices.shown.map((n) => displayText(n, 400)),
      noticesMore: notices.more > 0 ? t.moreNotices(notices.more, fullList) : null,
    },
    appendix: {
      heading: t.appendix,
      intro: t.appendixIntro,
      lists: [
        section(t.exports, model.sections.exports),
        section(t.critical, model.sections.critical),
        section(t.lateNight(window), lateNight),
        ...(lateNight.failed ? [section(t.lateNightFailed, lateNight.failed)] : []),
      ],
    },
    health: {
      sources: sources.shown.map((s) => sourceView(s, t, num, maxLines)),
      sourcesMore: moreTenants(sources.more),
      baselines: baselines.shown.map((b) => baselineView(b, t, num)),
      baselinesMore: moreTenants(baselines.more),
      noSources: model.sources.length === 0,
    },
    histogram: histogramView(model, window, num, options.histogramBars ?? true),
  };
}

function sourceName(s: { source: string; tenant: string }): string {
  return `${displayText(s.source, 30)} / ${displayText(s.tenant, 80)}`;
}

function alarmView(a: Alarm, day: string, t: Labels, num: (n: number, digits?: number) => string): AlarmView {
  const source = sourceName(a);
  const detail = displayText(a.detail ?? a.message, 400);
  const month = displayText(a.month ?? "", 20);
  const text = a.kind === "source-failed" ? t.alarmText.sourceFailed(source, day, detail)
    : a.kind === "source-silent" ? t.alarmText.sourceSilent(source, day, num(a.observed ?? 0), num(a.expected ?? 0), a.dayKind === "weekend", month)
    : a.kind === "baseline-missing" ? t.alarmText.baselineMissing(source, month, num(a.observed ?? 0), num(a.minimum ?? 0), day)
    : t.alarmText.retentionGap(source, detail);
  return { kind: t.alarmKind[a.kind] ?? displayText(a.kind, 40), text, fix: a.fix ? t.fixWith(displayText(a.fix, 200)) : null };
}

function sourceView(s: SourceHealth, t: Labels, num: (n: number, digits?: number) => string, maxLines: number): SourceView {
  const counts = [
    `${t.collected} ${num(s.collected)}`,
    `${t.stored} ${num(s.stored)}`,
    `${t.duplicates} ${num(s.duplicates)}`,
    `${t.rejected} ${num(s.rejected)}`,
  ].join(" · ");
  const errors = s.errors.slice(0, maxLines).map((e) => displayText(e, 300));
  const warnings = (s.warnings ?? []).slice(0, maxLines).map((w) => displayText(w, 300));
  return {
    name: sourceName(s),
    counts,
    cursorAge: `${t.cursorAge}: ${s.cursorAgeHours === null ? t.noCursor : t.hours(num(s.cursorAgeHours, 1))}`,
    eventsThatDay: s.eventsThatDay === undefined ? null : `${t.eventsThatDay}: ${num(s.eventsThatDay)}`,
    unparsableIps: s.unparsableIps ? `${t.unparsableIps}: ${num(s.unparsableIps)}` : null,
    unknownActions: s.unknownActions ? `${t.unknownActions}: ${num(s.unknownActions)}` : null,
    errors,
    warnings,
    hasProblems: errors.length > 0 || warnings.length > 0,
  };
}

/** The command that loads the month a baseline needs. */
export function backfillCommand(month: string): string {
  return /^\d{4}-\d{2}$/.test(month) ? `kansa backfill --month ${month}` : "kansa backfill --month YYYY-MM";
}

function baselineView(b: BaselineInfo, t: Labels, num: (n: number, digits?: number) => string): BaselineView {
  const name = sourceName(b);
  const month = displayText(b.month, 20);
  const noBaseline = b.available === false;
  const notice = noBaseline
    ? t.lang === "en" && b.notice
      ? `${displayText(b.notice, 400)}${b.notice.includes("kansa backfill") ? "" : ` ${backfillCommand(b.month)}`}`
      : t.noBaselineNotice(name, month, num(b.n), backfillCommand(b.month))
    : null;
  return {
    name,
    line: t.baselineLine(month, num(b.n), displayText(b.featureSet, 40)),
    zeroVariance: !noBaseline && b.droppedFeatures.length > 0 ? t.zeroVariance(b.droppedFeatures.map((f) => featureInWords(displayText(f, 60), t)).join(", ")) : null,
    notice,
  };
}

/** Hours (0..23) whose start lies in the late-night window "HH:MM-HH:MM". */
export function lateNightHours(window: string): Set<number> {
  const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(window.trim());
  const hours = new Set<number>();
  if (!m) return hours;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  for (let h = 0; h < 24; h++) {
    const minute = h * 60;
    const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
    if (inside) hours.add(h);
  }
  return hours;
}

function histogramView(model: ReportModel, window: string, num: (n: number, digits?: number) => string, bars: boolean): ReportView["histogram"] {
  const late = lateNightHours(window);
  const byHour = new Map(model.histogram.map((b) => [b.hour, b]));
  const max = Math.max(0, ...model.histogram.map((b) => Math.max(b.day, b.baselineAverage)));
  const percent = (v: number) => (max <= 0 || v <= 0 ? 0 : Math.max(1, Math.min(100, Math.round((v / max) * 100))));
  const rows: HistogramRowView[] = [];
  for (let hour = 0; hour < 24; hour++) {
    const bin = byHour.get(hour) ?? { hour, day: 0, baselineAverage: 0 };
    const dayPercent = percent(bin.day);
    const baselinePercent = percent(bin.baselineAverage);
    const hourText = String(hour).padStart(2, "0");
    const bar = "#".repeat(max <= 0 ? 0 : Math.round((bin.day / max) * TEXT_BAR));
    rows.push({
      hour: hourText,
      day: num(bin.day),
      baseline: num(bin.baselineAverage, 1),
      dayPercent,
      dayRest: 100 - dayPercent,
      baselinePercent,
      baselineRest: 100 - baselinePercent,
      lateNight: late.has(hour),
      textLine: `${hourText}${late.has(hour) ? "*" : " "} ${bar.padEnd(TEXT_BAR)} ${num(bin.day)} / ${num(bin.baselineAverage, 1)}`,
    });
  }
  // Two columns: the morning's hour beside the afternoon's, the left one padded to one width.
  const left = Math.max(...rows.slice(0, 12).map((r) => r.textLine.length));
  const textLines = rows.slice(0, 12).map((r, i) => `${r.textLine.padEnd(left)}   ${rows[i + 12]!.textLine}`);
  return { rows, textLines, empty: model.histogram.every((b) => b.day === 0), hasBars: max > 0, htmlBars: bars && max > 0, lateNightWindow: window };
}
