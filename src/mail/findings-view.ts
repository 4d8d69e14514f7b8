/**
 * The day's findings as the mail shows them (issue 23): every high finding in full, medium ones
 * shorter, low ones one line each up to a cap, expected ones only counted (with what made them
 * expected). Summaries and reasons are worded in the report's language by the findings' own
 * words (src/report/findings/words.ts); distances read as "rarer than 99.97% of last month",
 * never as numbers. Pure; every log string is made visible and capped here, escaped by the
 * templates.
 */
import { SEVERITIES, type Finding, type FindingCount, type FindingEvent, type ReportModel, type Severity, type SuppressionSummary } from "../core/report-model.ts";
import { findingReasons, findingSummary, rarityPercent } from "../report/findings/words.ts";
import { displayText, formatEventTime, formatInstant } from "./format.ts";
import type { Labels } from "./labels.ts";

export interface FindingEventView {
  time: string;
  /** Shown only when it is not the finding's own account (a linked account in another source). */
  account: string | null;
  action: string;
  /** Address, app and result joined. */
  details: string;
  rarity: string | null;
}

export interface FindingView {
  id: string;
  severity: Severity;
  severityLabel: string;
  kind: string;
  summary: string;
  reasons: string[];
  /** The reasons on one line (a medium finding in the text part). */
  reasonsLine: string;
  /** "14:00–16:12", or one time. */
  span: string;
  eventCount: string;
  rarity: string | null;
  actions: string | null;
  apps: string | null;
  addresses: { ip: string; note: string; isNew: boolean }[];
  addressesMore: string | null;
  events: FindingEventView[];
  eventsMore: string | null;
}

export interface FindingsView {
  /** False when the model has no findings (a model from before issue 23). */
  present: boolean;
  heading: string;
  counts: string;
  none: boolean;
  high: FindingView[];
  medium: FindingView[];
  mediumMore: string | null;
  /**
   * Routine work the catalogue rates high (a security setting an administrator changes on most
   * days): low, but listed right after the high findings, so that every such change is seen.
   */
  routineChanges: { line: string; id: string }[];
  routineChangesHeading: string;
  low: { line: string; id: string }[];
  lowMore: string | null;
  highHeading: string;
  mediumHeading: string;
  lowHeading: string;
  footer: ExpectedView | null;
}

export interface ExpectedView {
  /** How many findings were made expected; null when none were. */
  count: string | null;
  lines: string[];
  ackHint: string;
  ackCommand: string;
}

export interface FindingsOptions {
  /** Events listed per high finding; shared out so that many high findings keep the mail short (default: up to 8 each). */
  maxEvents?: number;
  /** Medium findings listed (default MEDIUM_LISTED). */
  maxMedium?: number;
  /** Low findings listed one line each, the rest counted (default LOW_LISTED). */
  maxLow?: number;
}

/** Events listed per high finding at most. */
export const EVENTS_PER_FINDING = 8;
/** Event lines shared by the high findings: with many of them each lists fewer (never fewer than MIN_EVENTS_PER_FINDING). */
const EVENT_LINES = 16;
const MIN_EVENTS_PER_FINDING = 1;
/** Medium findings listed (three lines each in the text part), the rest counted: with every high one in full and the routine changes, a day like the demo's stays under 200 lines (193). */
export const MEDIUM_LISTED = 6;
export const LOW_LISTED = 10;
const ADDRESSES_LISTED = 6;
/** Reasons listed: every telling one for a high finding, the first few for the others. */
const REASONS_HIGH = 4;
const REASONS_OTHER = 3;
const COUNTS_LISTED = 5;
/** Acknowledgements shown in the footer. */
const ACKS_LISTED = 3;

/** The command a reader runs to acknowledge a finding. */
export const ACK_COMMAND = 'kansa ack ID --reason "…"';

/** The findings of `model` for the mail, in `t`'s language; `fullList` is the command that lists everything. */
export function findingsView(model: ReportModel, t: Labels, fullList: string, options: FindingsOptions = {}): FindingsView {
  const all = model.findings ?? [];
  const listed = all.filter((f) => f.expected === undefined);
  const bySeverity = (s: Severity) => listed.filter((f) => f.severity === s);
  const [high, medium, lows] = SEVERITIES.map(bySeverity) as [Finding[], Finding[], Finding[]];
  const routineChanges = lows.filter(isRoutineHighImpact);
  const low = lows.filter((f) => !isRoutineHighImpact(f));
  const line = (f: Finding) => ({ line: displayText(findingSummary(f, t.lang), 300), id: displayText(f.id, 80) });
  const shared = Math.max(MIN_EVENTS_PER_FINDING, Math.floor(EVENT_LINES / Math.max(1, high.length)));
  const maxEvents = Math.max(1, Math.min(EVENTS_PER_FINDING, shared, options.maxEvents ?? Infinity));
  const maxMedium = Math.max(0, Math.floor(options.maxMedium ?? MEDIUM_LISTED));
  const maxLow = Math.max(0, Math.floor(options.maxLow ?? LOW_LISTED));
  const view = (f: Finding) => findingView(f, model, t, fullList, maxEvents);
  const more = (n: number, severity: Severity) => (n > 0 ? t.moreFindings(n, severity, fullList) : null);
  return {
    present: model.findings !== undefined,
    heading: t.findings,
    counts: t.findingCounts(high.length, medium.length, lows.length),
    none: listed.length === 0,
    high: high.map(view),
    medium: medium.slice(0, maxMedium).map(view),
    mediumMore: more(medium.length - Math.min(medium.length, maxMedium), "medium"),
    routineChanges: routineChanges.map(line),
    routineChangesHeading: t.routineChanges(routineChanges.length),
    low: low.slice(0, maxLow).map(line),
    lowMore: more(low.length - Math.min(low.length, maxLow), "low"),
    highHeading: t.severityHeading.high(high.length),
    mediumHeading: t.severityHeading.medium(medium.length),
    lowHeading: t.severityHeading.low(low.length),
    footer: all.length === 0 && !model.suppression ? null : expectedView(all.length - listed.length, model.suppression, model.timezone, t),
  };
}

/** A routine finding of work its source's catalogue rates high. */
function isRoutineHighImpact(f: Finding): boolean {
  return f.kind === "routine" && f.reasonDetails.some((r) => r.code === "catalogue" && r.params.severity === "high");
}

function findingView(f: Finding, model: ReportModel, t: Labels, fullList: string, maxEvents: number): FindingView {
  const zone = model.timezone;
  const from = spanTime(f.from, zone, model.day);
  const to = spanTime(f.to, zone, model.day);
  const addresses = f.addresses.filter((a) => a.key !== "");
  const shownAddresses = addresses.slice(0, ADDRESSES_LISTED);
  const events = f.events.slice(0, maxEvents);
  const hidden = Math.max(0, f.eventCount, f.events.length) - events.length;
  const rarity = f.percentile === undefined ? null : t.rarity(rarityPercent(f.percentile));
  // Two reasons can read alike in a language (a new address for a login and for a failed one).
  const reasons = [...new Set(findingReasons(f, t.lang))].slice(0, f.severity === "high" ? REASONS_HIGH : REASONS_OTHER).map((r) => displayText(r, 300));
  return {
    id: displayText(f.id, 80),
    severity: f.severity,
    severityLabel: t.severity[f.severity],
    kind: t.kind[f.kind] ?? displayText(f.kind, 40),
    summary: displayText(findingSummary(f, t.lang), 400),
    reasons,
    reasonsLine: reasons.join(" · "),
    span: from === to ? from : `${from}–${to}`,
    eventCount: t.eventCount(f.eventCount),
    rarity,
    // One event says its action and app itself.
    actions: f.eventCount > 1 ? countsLine(f.actions, t) : null,
    apps: f.eventCount > 1 ? countsLine(f.apps, t) : null,
    // One known address is in the summary already.
    addresses: addresses.length === 1 && !addresses[0]!.new ? [] : shownAddresses.map((a) => ({ ip: displayText(a.key, 60), note: a.new ? t.newAddress : t.knownAddress, isNew: a.new === true })),
    addressesMore: addresses.length > shownAddresses.length ? t.andMore(addresses.length - shownAddresses.length) : null,
    // An event's rarity is shown only where it says more than the finding's own.
    events: events.map((e) => findingEventView(e, f, model, t)).map((e) => (e.rarity === rarity ? { ...e, rarity: null } : e)),
    eventsMore: hidden > 0 ? t.moreEvents(hidden, fullList) : null,
  };
}

/** The event's time: HH:MM:SS on the reported day, the date too on another. */
function findingEventView(e: FindingEvent, f: Finding, model: ReportModel, t: Labels): FindingEventView {
  const app = e.appName ? displayText(e.appName, 60) : e.appId ? displayText(e.appId, 40) : "";
  return {
    time: formatEventTime(e.occurredAt, model.timezone, model.day),
    account: e.account === f.account ? null : e.account === "" ? t.noAccount : displayText(e.account, 120),
    action: displayText((t.lang === "ja" ? e.descriptionJa : undefined) ?? e.description ?? e.action, 120),
    details: [displayText(e.ip, 60), app, displayText(e.result ?? null, 30)].filter((s) => s !== "").join(" · "),
    // Only an outlier's rarity tells something: "rarer than 83%" of a critical event is ordinary.
    rarity: e.percentile === undefined || !e.flags.includes("outlier") ? null : t.rarity(rarityPercent(e.percentile)),
  };
}

/** "HH:MM" on the reported day, the date too on another. */
function spanTime(iso: string, zone: string, day: string): string {
  const time = formatEventTime(iso, zone, day);
  return /^\d{2}:\d{2}:\d{2}$/.test(time) ? time.slice(0, 5) : /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(time) ? time.slice(0, 16) : time;
}

/** "Record file download ×40, export user ×2, and 3 more": the largest counts first. */
function countsLine(counts: FindingCount[], t: Labels): string | null {
  const sorted = [...counts].sort((a, b) => b.count - a.count);
  if (sorted.length === 0) return null;
  const shown = sorted.slice(0, COUNTS_LISTED).map((c) => `${displayText((t.lang === "ja" ? c.labelJa : undefined) ?? c.label ?? c.key, 80)} ×${c.count.toLocaleString(t.lang === "ja" ? "ja-JP" : "en-US")}`);
  return shown.join(", ") + (sorted.length > COUNTS_LISTED ? `, ${t.andMore(sorted.length - COUNTS_LISTED)}` : "");
}

function expectedView(expected: number, suppression: SuppressionSummary | undefined, zone: string, t: Labels): ExpectedView {
  const acks = suppression?.recentAcks ?? [];
  const lines = [
    ...(suppression && suppression.allowListed > 0 ? [t.allowListed(suppression.allowListed)] : []),
    ...(suppression?.rules ?? []).slice(0, 5).map((r) => t.ruleMatched(displayText(r.rule, 120), r.findings)),
    ...(suppression && suppression.acknowledged > 0 ? [t.acknowledged(suppression.acknowledged)] : []),
    ...acks.slice(0, ACKS_LISTED).map((a) => t.recentAck(displayText(a.findingId, 80), displayText(a.reason, 200), formatInstant(a.at, zone).slice(0, 10))),
  ];
  return { count: expected > 0 ? t.expected(expected) : null, lines, ackHint: t.ackHint, ackCommand: ACK_COMMAND };
}
