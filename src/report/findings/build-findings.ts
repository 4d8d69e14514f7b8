/**
 * Findings from the reported day's events (issue 23): the notable events (critical or listed in
 * the source's severity catalogue, exports, late-night logins, failed logins then a success,
 * outliers) grouped per person and episode, each with a severity, a kind, its counts, addresses,
 * reasons and a summary. Pure: the caller scores the events and looks up their catalogue entries
 * and the baseline month's routine.
 *
 * - A person is an account, compared case-insensitively and across sources: the console's login
 *   name and an identity provider's user name (its mail address) are one person when they are the same text.
 *   Events without an account are grouped by their address.
 * - An episode is a run of the person's notable events with no gap longer than EPISODE_GAP_MINUTES;
 *   a person's events that are only unusual (outliers) make one episode a day, and so does their
 *   routine work (its own finding, apart from what is not routine).
 * - Severity: see eventSeverity and findingSeverity below; routine events (routine.ts) are low and
 *   never outliers.
 */
import { createHash } from "node:crypto";
import type { EventFlags } from "../../core/classification.ts";
import type { Finding, FindingCount, FindingEvent, FindingKind, FindingReason, ReportEvent, Severity } from "../../core/report-model.ts";
import type { SeverityEntry, Words } from "../../sources/contract.ts";
import { isRoutine, type ActionHabit, type RoutineHistory } from "./routine.ts";
import { findingSummary, plural, rarityPercent } from "./words.ts";

/** Longest quiet time inside one episode of a person's notable events. */
export const EPISODE_GAP_MINUTES = 60;
/** An outlier at least this rare among last month's distances is medium on its own. */
export const MEDIUM_PERCENTILE = 0.9999;
/** Exports in one episode from which the finding is raised one level (volume). */
export const VOLUME_EXPORTS = 10;

/** An event of the reported day as findings see it. */
export interface DayEvent {
  /** The event as the report lists it. */
  listed: ReportEvent;
  occurredAt: Date;
  /** Local hour of day (report zone). */
  hour: number;
  flags: EventFlags;
  late: "login" | "failed" | null;
  /** A successful login after failed ones from its address, or one of those failures. */
  failedThenSucceeded: boolean;
  outlier: boolean;
  distance: number | null;
  percentile: number | null;
  /** The feature set's reasons (first-seen address, burst...), as data. */
  reasons: FindingReason[];
  catalogue: SeverityEntry | null;
  description: Words | null;
  /** Whether the source declares a severity catalogue (a critical event it does not list is then low). */
  hasCatalogue: boolean;
}

export interface FindingsInput {
  day: string;
  baselineMonth: string;
  /** LATE_NIGHT_WINDOW as written. */
  lateNightWindow: string;
  events: readonly DayEvent[];
  routine: RoutineHistory;
}

const RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 };
const KIND_RANK: Record<FindingKind, number> = { critical: 0, export: 1, "failed-then-succeeded": 2, "late-night": 3, outlier: 4, routine: 5 };
const REASON_ORDER = ["catalogue", "export", "failed-then-succeeded", "late-night", "unknown-account", "new-action-global", "new-address", "new-network", "new-app", "new-action-account", "burst", "volume", "unusual-hour", "rarity", "feature", "few-history", "routine"];

const raise = (s: Severity): Severity => (s === "low" ? "medium" : "high");
const max = (a: Severity, b: Severity): Severity => (RANK[a] <= RANK[b] ? a : b);

/** Whether the event belongs in a finding at all. */
export function isNotable(e: DayEvent): boolean {
  // A failed login alone, however unusual, is what every login page meets from the internet: it
  // counts within failed logins then a success, in the late-night window, or as a source's block.
  const outlier = e.outlier && !e.flags.isFailedLogin;
  return e.flags.isCritical || e.flags.isExport || e.late !== null || e.failedThenSucceeded || outlier || (e.catalogue !== null && e.catalogue.severity !== "low");
}

/** The person an event belongs to: its account in lower case; without one, its app (a machine credential's client), else its address. */
export function personKey(listed: Pick<ReportEvent, "account" | "ip" | "appId">): string {
  const account = listed.account.trim().toLowerCase();
  if (account !== "") return `a:${account}`;
  return listed.appId ? `app:${listed.appId}` : `ip:${listed.ip}`;
}

/** A burst large enough to raise a finding: at least BURST_RAISE events in 10 minutes and three times the account's usual most. */
export const BURST_RAISE = 10;
function isLargeBurst(r: FindingReason): boolean {
  return r.code === "burst" && Number(r.params.count) >= Math.max(BURST_RAISE, 3 * Number(r.params.usual));
}

/** A notable event of the day with the habit that makes it routine, or null (routineOf, computed once). */
interface Candidate {
  e: DayEvent;
  habit: ActionHabit | null;
}

/** The habit that makes the event routine (routine.ts), or null; an event inside a large burst never is (40 downloads with the 5 exports someone makes every day). */
function routineOf(e: DayEvent, history: RoutineHistory): ActionHabit | null {
  return e.reasons.some(isLargeBurst) ? null : isRoutine(e, history);
}

/** Novelty that raises an outlier one level: what this account, or anyone, never did. */
export function isNovel(e: Pick<DayEvent, "reasons" | "flags">): boolean {
  const codes = new Set(e.reasons.map((r) => r.code));
  return (codes.has("unknown-account") && !e.flags.isFailedLogin) || codes.has("new-action-global") || (codes.has("new-address") && codes.has("new-network")) || e.reasons.some(isLargeBurst);
}

/** An event's own severity and kind, or null when routine made it ordinary. */
function eventSeverity(e: DayEvent, routine: boolean): { severity: Severity; kind: FindingKind } {
  if (routine) return { severity: "low", kind: "routine" };
  let best: { severity: Severity; kind: FindingKind } | null = null;
  const consider = (severity: Severity, kind: FindingKind) => {
    if (!best || RANK[severity] < RANK[best.severity] || (severity === best.severity && KIND_RANK[kind] < KIND_RANK[best.kind])) best = { severity, kind };
  };
  if (e.catalogue) consider(e.catalogue.severity, e.flags.isExport ? "export" : "critical");
  else if (e.flags.isCritical) consider(e.hasCatalogue ? "low" : "medium", "critical");
  if (e.flags.isExport && !e.catalogue) consider("medium", "export");
  if (e.failedThenSucceeded) consider(e.flags.isLogin ? "medium" : "low", "failed-then-succeeded");
  if (e.late) consider(e.late === "login" ? "medium" : "low", "late-night");
  if (e.outlier) {
    const base: Severity = (e.percentile ?? 0) >= MEDIUM_PERCENTILE ? "medium" : "low";
    // A failed login from somewhere new is what the internet does to every login page: not raised.
    // Unusual alone is at most medium: high takes a catalogue entry or volume as well (findingSeverity).
    // An unusual export or change is told as the export or change it is.
    const kind: FindingKind = e.flags.isExport ? "export" : e.catalogue || e.flags.isCritical ? "critical" : "outlier";
    consider(isNovel(e) && !e.flags.isFailedLogin ? "medium" : base, kind);
  }
  return best ?? { severity: "low", kind: "outlier" };
}

function counts(values: { key: string; label?: string; labelJa?: string }[]): FindingCount[] {
  const map = new Map<string, FindingCount>();
  for (const v of values) {
    const c = map.get(v.key) ?? { key: v.key, ...(v.label && v.label !== v.key ? { label: v.label } : {}), ...(v.labelJa ? { labelJa: v.labelJa } : {}), count: 0 };
    c.count++;
    map.set(v.key, c);
  }
  return [...map.values()].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}


/** The finding's reasons: its events' own, merged (the same reason once), most telling first. */
function findingReasons(members: readonly { e: DayEvent; routine: boolean }[], input: FindingsInput, routineDays: number | null): FindingReason[] {
  const out = new Map<string, FindingReason>();
  const put = (r: FindingReason, key = `${r.code}\u0000${JSON.stringify(r.params)}`) => { if (!out.has(key)) out.set(key, r); };
  const labels = new Map<string, { entry: SeverityEntry; count: number }>();
  for (const { e } of members) {
    if (!e.catalogue || e.catalogue.severity === "low" && !e.flags.isCritical) continue;
    // An export is told by the export reason (its count and app), unless the catalogue rates it high.
    if (e.flags.isExport && e.catalogue.severity !== "high") continue;
    const l = labels.get(e.catalogue.label.en) ?? { entry: e.catalogue, count: 0 };
    l.count++;
    labels.set(e.catalogue.label.en, l);
  }
  for (const { entry, count } of [...labels.values()].sort((a, b) => RANK[a.entry.severity] - RANK[b.entry.severity])) {
    put({ code: "catalogue", text: count > 1 ? `${entry.label.en} (${count} times)` : entry.label.en, params: { label: entry.label.en, labelJa: entry.label.ja, count, severity: entry.severity } }, `catalogue\u0000${entry.label.en}`);
  }
  const exported = members.filter(({ e }) => e.flags.isExport);
  if (exported.length > 0) {
    const apps = counts(exported.map(({ e }) => ({ key: e.listed.appId ?? "", label: e.listed.appName ?? undefined }))).filter((a) => a.key !== "");
    const app = apps.length === 1 ? apps[0]!.label ?? apps[0]!.key : "";
    put({ code: "export", text: `${plural(exported.length, "export")}${app ? ` from ${app}` : ""}`, params: { count: exported.length, app } });
  }
  for (const { e } of members) {
    if (e.late) put({ code: "late-night", text: `${e.late === "failed" ? "failed login" : "login"} at ${e.listed.occurredAt.slice(11, 16)}, inside the late-night window ${input.lateNightWindow}`, params: { time: e.listed.occurredAt.slice(11, 16), window: input.lateNightWindow, failed: e.late === "failed" } }, `late-night\u0000${e.late}`);
  }
  const failures = members.filter(({ e }) => e.failedThenSucceeded && e.flags.isFailedLogin).length;
  if (members.some(({ e }) => e.failedThenSucceeded && e.flags.isLogin) && !members.some(({ e }) => e.reasons.some((r) => r.code === "failed-then-succeeded"))) {
    const login = members.find(({ e }) => e.failedThenSucceeded && e.flags.isLogin)!.e;
    put({ code: "failed-then-succeeded", text: `successful login after ${plural(failures, "failed attempt")} from the same address within 10 minutes`, params: { failures, ip: login.listed.ip } });
  }
  let rarest: DayEvent | null = null;
  for (const { e, routine } of members) {
    if (routine) continue;
    for (const r of e.reasons) put(r, r.code === "burst" || r.code === "unusual-hour" || r.code === "failed-then-succeeded" ? r.code : undefined);
    if (e.outlier && (rarest === null || (e.distance ?? 0) > (rarest.distance ?? 0))) rarest = e;
  }
  if (rarest) {
    const percent = rarityPercent(rarest.percentile ?? 1);
    put({ code: "rarity", text: percent ? `rarer than ${percent}% of last month` : "rarer than anything last month", params: percent ? { percent } : {} });
  }
  if (exported.length >= VOLUME_EXPORTS && !out.has("burst")) {
    put({ code: "volume", text: `${exported.length} exports in one episode`, params: { count: exported.length, usual: 0 } });
  }
  if (routineDays !== null) put({ code: "routine", text: `routine: on ${plural(routineDays, "day")} last month`, params: { days: routineDays, month: input.baselineMonth } });
  return [...out.values()].sort((a, b) => REASON_ORDER.indexOf(a.code) - REASON_ORDER.indexOf(b.code));
}

function findingId(day: string, person: string, first: ReportEvent): string {
  const hash = createHash("sha256").update([day, person, first.source, first.tenant, first.externalId].join("\u0000")).digest("hex");
  return `${day}-${hash.slice(0, 10)}`;
}

function toFindingEvent(e: DayEvent, severity: Severity | undefined): FindingEvent {
  const flags: FindingEvent["flags"] = [];
  if (e.flags.isCritical || (e.catalogue && e.catalogue.severity !== "low")) flags.push("critical");
  if (e.flags.isExport) flags.push("export");
  if (e.late) flags.push("late-night");
  if (e.flags.isFailedLogin) flags.push("failed-login");
  if (e.outlier) flags.push("outlier");
  return {
    ...e.listed,
    ...(e.description ? { description: e.description.en, descriptionJa: e.description.ja } : {}),
    ...(severity ? { severity } : {}),
    ...(e.distance !== null ? { distance: e.distance } : {}),
    ...(e.percentile !== null ? { percentile: e.percentile } : {}),
    flags,
  };
}

/**
 * One finding from one person's episode (events oldest first), with its severity before volume
 * raised it (`base`): a change the catalogue rates high ranks before a large export.
 */
function buildFinding(person: string, candidates: readonly Candidate[], input: FindingsInput): { finding: Finding; base: Severity } {
  const episode = candidates.map((c) => c.e);
  const members = candidates.map(({ e, habit: routine }) => {
    const outlier = routine === null && e.outlier;
    const own = eventSeverity({ ...e, outlier }, routine !== null);
    return { e: { ...e, outlier }, routine: routine !== null, routineDays: routine?.days ?? 0, ...own };
  });
  const allRoutine = members.every((m) => m.routine);
  let severity: Severity = "low";
  let kind: FindingKind = allRoutine ? "routine" : "outlier";
  for (const m of members) {
    if (m.routine) continue;
    if (RANK[m.severity] < RANK[severity] || (m.severity === severity && KIND_RANK[m.kind] < KIND_RANK[kind])) kind = m.kind;
    severity = max(severity, m.severity);
  }
  const base = severity;
  const exports = members.filter((m) => !m.routine && m.e.flags.isExport).length;
  if (!allRoutine && (exports >= VOLUME_EXPORTS || members.some((m) => !m.routine && m.e.reasons.some(isLargeBurst)))) severity = raise(severity);
  const routineDays = allRoutine ? members.reduce((most, m) => Math.max(most, m.routineDays), 0) : null;
  const reasonDetails = findingReasons(members, input, routineDays);
  const newIps = new Set(members.flatMap((m) => m.e.reasons.filter((r) => r.code === "new-address").map((r) => String(r.params.ip))));
  const addresses = counts(members.map((m) => ({ key: m.e.listed.ip }))).map((a) => (newIps.has(a.key) ? { ...a, new: true } : a));
  const first = episode[0]!.listed;
  const accounts = [...new Map(episode.map((e) => [`${e.listed.source}\u0000${e.listed.tenant}\u0000${e.listed.account}`, { source: e.listed.source, tenant: e.listed.tenant, account: e.listed.account }])).values()];
  const finding: Finding = {
    id: findingId(input.day, person, first),
    severity: allRoutine ? "low" : severity,
    kind,
    source: first.source,
    tenant: first.tenant,
    account: first.account,
    accounts,
    from: first.occurredAt,
    to: episode[episode.length - 1]!.listed.occurredAt,
    summary: "",
    reasons: reasonDetails.map((r) => r.text),
    reasonDetails,
    eventCount: episode.length,
    actions: counts(episode.map((e) => ({ key: e.listed.action, label: e.description?.en, labelJa: e.description?.ja }))),
    apps: counts(episode.filter((e) => e.listed.appId !== null).map((e) => ({ key: e.listed.appId!, label: e.listed.appName ?? undefined }))),
    addresses,
    ...(routineDays !== null ? { routine: { days: routineDays, month: input.baselineMonth } } : {}),
    events: members.map((m) => toFindingEvent(m.e, m.routine ? "low" : m.kind === "outlier" && !m.e.outlier ? undefined : m.severity)),
  };
  const percentiles = members.filter((m) => m.e.outlier && m.e.percentile !== null).map((m) => m.e.percentile!);
  if (percentiles.length > 0) finding.percentile = percentiles.reduce((most, p) => Math.max(most, p));
  finding.summary = findingSummary(finding, "en");
  return { finding, base: allRoutine ? "low" : base };
}

/** Whether the event is notable for something other than being an outlier. */
function notableBesidesOutlier(e: DayEvent): boolean {
  return isNotable({ ...e, outlier: false });
}

/** The day's findings, most severe first. */
export function buildFindings(input: FindingsInput): Finding[] {
  // A person's routine work is its own (low) finding: it does not join, nor raise, an episode of
  // what is not routine. Groups by person and routine or not.
  const groups = new Map<string, { person: string; routine: boolean; candidates: Candidate[] }>();
  for (const e of input.events) {
    if (!isNotable(e)) continue;
    const habit = routineOf(e, input.routine);
    // An outlier that is the account's routine is ordinary: it is no finding unless notable otherwise.
    if (habit !== null && !notableBesidesOutlier(e)) continue;
    const person = personKey(e.listed);
    const key = `${person}\u0000${habit !== null}`;
    const group = groups.get(key) ?? { person, routine: habit !== null, candidates: [] };
    group.candidates.push({ e, habit });
    groups.set(key, group);
  }
  const findings: { finding: Finding; base: Severity }[] = [];
  for (const { person, routine, candidates } of groups.values()) {
    candidates.sort((a, b) => a.e.occurredAt.getTime() - b.e.occurredAt.getTime());
    let episode: Candidate[] = [];
    for (const c of candidates) {
      const last = episode[episode.length - 1];
      // A person's unusual events of one day are one story (the same new address all day); only
      // what is notable besides (a change, an export, a login at night) starts a new episode after a gap.
      // Routine work is one finding a day too.
      const plain = routine || (!notableBesidesOutlier(c.e) && episode.every((x) => !notableBesidesOutlier(x.e)));
      if (last && !plain && c.e.occurredAt.getTime() - last.e.occurredAt.getTime() > EPISODE_GAP_MINUTES * 60_000) {
        findings.push(buildFinding(person, episode, input));
        episode = [];
      }
      episode.push(c);
    }
    if (episode.length > 0) findings.push(buildFinding(person, episode, input));
  }
  return findings.sort((x, y) => {
    const [a, b] = [x.finding, y.finding];
    return RANK[a.severity] - RANK[b.severity] || RANK[x.base] - RANK[y.base] || KIND_RANK[a.kind] - KIND_RANK[b.kind] || (b.percentile ?? 0) - (a.percentile ?? 0) || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0) || (a.id < b.id ? -1 : 1);
  }).map((x) => x.finding);
}
