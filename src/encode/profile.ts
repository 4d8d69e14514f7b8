/**
 * The `profile` feature set (issue 9): what is unusual for THIS account, measured against the
 * previous month. Per event:
 *  0–1 `time_sin`, `time_cos`: time of day in the report zone on the unit circle;
 *  2 `hours_outside`: hours between the event and the account's usual hours (circular, 0 inside);
 *  3 `action_account`: −log frequency of the action for this account (smoothed towards everyone);
 *  4 `action_global`: −log frequency of the action over all accounts;
 *  5 `action_new`: first time this account does the action (its first-seen surprise; for an
 *    action nobody did, at least the population's);
 *  6 `account_new`: the account had no event last month (−log of how often last month's failed
 *    logins, or its other events, came from an unseen account: a mistyped name in a failed login
 *    is ordinary, an unseen account that succeeds is not);
 *  7 `profile_fallback`: the account had too little history (MIN_PROFILE_DAYS days or
 *    MIN_PROFILE_EVENTS events) and is compared with everybody instead;
 *  8–10 `address_new`, `network_new`, `app_new`: first use by this account of the address, its
 *    /24 (/48 for IPv6), the app. From a phone or tablet, an address in a carrier block (/16, /32)
 *    the account's phone used last month is not new: carriers hand phones addresses from a pool,
 *    so an ordinary day on the phone comes from an address never seen before;
 *  11 `address_rarity`: −log frequency of the address over all accounts;
 *  12 `failed_then_succeeded`: for a successful login, the failed logins of the account from the
 *    same address in the 10 minutes before (at most 10);
 *  13 `burst`: how far the other events of the account within ±5 minutes exceed its largest such
 *    burst last month, as a share of that burst plus one: (others − largest) / (largest + 1), 0
 *    when not above it. Linear, not logarithmic: 12 downloads in 10 minutes from someone whose
 *    busiest 10 minutes held 4 events must stand out from a day that beat the record by one.
 * A first-seen flag is 1 − P̂(new) rather than 1, with P̂(new) the Good–Turing rate at which the
 * account met new values last month: `nobody`, whose failed logins come from a new address each
 * time, gets about 0; someone always in the office gets 1.
 * Neighbouring events (12, 13) come from the batch being encoded, grouped by account in time
 * order once per batch (neighbourCounts); a single event encoded on its own has 0 there. The
 * reported day is a whole day, so a burst is seen from its first event on.
 * The baseline month's own events (encode's `baseline` option) are encoded leave-one-out (their
 * own occurrence is not counted), so the baseline shows how often novelty happens ordinarily and
 * the detector's scale for each flag comes from that, not from a column of zeros.
 * Fit: variance floor, OAS shrinkage, robust refit; threshold: the baseline's own (1 − TARGET_FPR)
 * quantile unless ANOMALY_LENGTH is set.
 */
import type { Config } from "../core/config.ts";
import type { AccountProfile, FindingReason } from "../core/report-model.ts";
import type { JsonValue } from "../core/types.ts";
import type { EncodableEvent, EncodeOptions, FeatureSet, FitContext } from "./feature-set.ts";
import { carrierBlockOf, networkLabel, networkOf } from "../core/ip-address.ts";
import { fitProfiles, loadProfiles, profileFitter, saveProfiles, type Habits, type ProfileState } from "./profile-state.ts";
import { addressKey, BURST_WINDOW_MS, FAILURE_WINDOW_MS, isMobileEvent, neighbourCounts, profileKey, type NeighbourCounts } from "./profile-window.ts";
import { quantileThreshold } from "./threshold.ts";

export const PROFILE_FEATURES = [
  "time_sin", "time_cos", "hours_outside", "action_account", "action_global", "action_new", "account_new", "profile_fallback",
  "address_new", "network_new", "app_new", "address_rarity", "failed_then_succeeded", "burst",
] as const;
const D = PROFILE_FEATURES.length;
/**
 * The version of the encoding, part of the settings key: a baseline stored by an older kansa
 * (log-ratio bursts, no carrier blocks) is refitted rather than read with the wrong meaning.
 */
const PROFILE_ENCODING = "encoding=2";
const TAU = 2 * Math.PI;
/** Failures before a login counted at most (the feature's cap). */
const MAX_FAILURES = 10;
/** Weight of the population's frequency in an account's smoothed action frequency (pseudo-count). */
const ACTION_PRIOR = 1;

/** Hours from `seconds` (of the day) to the arc, 0 inside; and which end is nearer. */
export function hoursOutside(seconds: number, arcStart: number, arcLength: number): { hours: number; after: boolean } {
  const offset = (((seconds - arcStart) % 86_400) + 86_400) % 86_400;
  if (offset < arcLength) return { hours: 0, after: false };
  const afterEnd = offset - arcLength;
  const beforeStart = 86_400 - offset;
  return afterEnd <= beforeStart ? { hours: afterEnd / 3600, after: true } : { hours: beforeStart / 3600, after: false };
}

/**
 * Smallest variance of each feature in the detector (raw units): the hours outside the usual
 * ones count from a spread of 15 minutes, the −log frequencies from 0.1, first-seen flags and
 * failures from 0.0032 (a flag that never changed in the baseline scores 316 when it does).
 */
export const PROFILE_VARIANCE_FLOORS: readonly number[] = PROFILE_FEATURES.map((name) =>
  name === "hours_outside" ? 0.1 ** 2 : name.startsWith("time_") ? 1e-2 : name === "burst" ? 1e-3 : name.startsWith("action_") && name !== "action_new" ? 1e-2 : name === "address_rarity" ? 1e-2 : 1e-5);

/** Column of each feature. */
const F = Object.fromEntries(PROFILE_FEATURES.map((name, j) => [name, j])) as Record<(typeof PROFILE_FEATURES)[number], number>;

/** time_sin, time_cos, hours_outside: the time of day on the unit circle and its distance from `h`'s usual hours. */
function writeTime(out: Float64Array, o: number, seconds: number, h: Habits): void {
  const angle = (TAU * seconds) / 86_400;
  out[o + F.time_sin] = Math.sin(angle);
  out[o + F.time_cos] = Math.cos(angle);
  out[o + F.hours_outside] = hoursOutside(seconds, h.arcStart, h.arcLength).hours;
}

/** action_account, action_global, action_new of `action` for `h`. */
function writeAction(out: Float64Array, o: number, h: Habits, population: Habits, action: string, loo: number): void {
  const everyone = Math.max(0, (population.actions.get(action) ?? 0) - loo);
  const pGlobal = (everyone + 0.5) / (population.events - loo + 1);
  const mine = Math.max(0, (h.actions.get(action) ?? 0) - loo);
  out[o + F.action_account] = -Math.log((mine + ACTION_PRIOR * pGlobal) / (h.events - loo + ACTION_PRIOR));
  out[o + F.action_global] = -Math.log(pGlobal);
  // New for the account; when new for everybody, at least as surprising as the population finds new actions.
  out[o + F.action_new] = mine > 0 ? 0 : everyone > 0 ? h.surprise.action : Math.max(h.surprise.action, population.surprise.action);
}

/**
 * address_new, network_new, address_rarity of the event's address for `h` (0 without one). A
 * phone in a carrier block its account's phone used is not in a new place.
 */
function writeAddress(out: Float64Array, o: number, state: ProfileState, h: Habits, event: EncodableEvent, loo: number): void {
  const address = addressKey(event);
  const population = state.population;
  const isNew = address !== "" && !seen(h.addresses, address, loo);
  // A known address's network is known: its own count is part of the network's.
  const networkIsNew = isNew && !seen(h.networks, networkOf(address), loo);
  const knownCarrier = (isNew || networkIsNew) && isMobileEvent(event) && seen(h.mobileBlocks, carrierBlockOf(address), loo);
  out[o + F.address_new] = isNew && !knownCarrier ? h.surprise.address : 0;
  out[o + F.network_new] = networkIsNew && !knownCarrier ? h.surprise.network : 0;
  out[o + F.address_rarity] = address === "" ? 0 : -Math.log((Math.max(0, (population.addresses.get(address) ?? 0) - loo) + 0.5) / (population.events - loo + 1));
}

/** app_new: the event's app (none: 0) first used by `h`. */
function writeApp(out: Float64Array, o: number, h: Habits, app: string, loo: number): void {
  out[o + F.app_new] = app === "" || seen(h.apps, app, loo) ? 0 : h.surprise.app;
}

/** Whether `counts` holds `key` besides the event itself (`loo` 1 for the baseline's own events). */
function seen(counts: Map<string, number>, key: string, loo: number): boolean {
  return (counts.get(key) ?? 0) - loo > 0;
}

/**
 * failed_then_succeeded and burst of row `row` from the batch's neighbour counts. The baseline's
 * own events on the day of its largest burst compare with the other days' largest.
 */
function writeNeighbours(out: Float64Array, o: number, state: ProfileState, h: Habits, event: EncodableEvent, neighbours: NeighbourCounts, row: number, loo: number): void {
  const others = neighbours.burst[row]!;
  const usual = loo === 1 && state.clock.dayNumber(event.occurredAt.getTime()) === h.burstDay ? h.burstElsewhere : h.burst;
  out[o + F.failed_then_succeeded] = Math.min(neighbours.failuresBefore[row]!, MAX_FAILURES);
  out[o + F.burst] = others > usual ? (others - usual) / (usual + 1) : 0;
}

/** Row `row` of the batch (events[row]) into out[row × D ..) (see PROFILE_FEATURES); `loo` 1 for the baseline's own events. */
function encodeRow(out: Float64Array, row: number, event: EncodableEvent, state: ProfileState, neighbours: NeighbourCounts, loo: number): void {
  const o = row * D;
  const population = state.population;
  const t = event.occurredAt.getTime();
  const account = state.accounts.get(profileKey(event));
  const known = account !== undefined && account.events - loo > 0;
  const own = known && account.own;
  const h: Habits = own ? account : population;
  writeTime(out, o, state.clock.secondsOfDay(t), h);
  writeAction(out, o, h, population, event.action, loo);
  out[o + F.account_new] = known ? 0 : event.isFailedLogin ? state.newAccountSurprise.failed : state.newAccountSurprise.other;
  out[o + F.profile_fallback] = own ? 0 : 1;
  writeAddress(out, o, state, h, event, loo);
  writeApp(out, o, h, event.appId ?? "", loo);
  writeNeighbours(out, o, state, h, event, neighbours, row, loo);
}

/** The batch's vectors (see PROFILE_FEATURES), row i for events[i]. */
function encodeProfile(events: readonly EncodableEvent[], state: ProfileState, options: EncodeOptions = {}): Float64Array {
  const out = new Float64Array(events.length * D);
  const neighbours = neighbourCounts(events);
  const loo = options.baseline ? 1 : 0;
  events.forEach((event, row) => encodeRow(out, row, event, state, neighbours, loo));
  return out;
}

const hhmm = (seconds: number) => `${String(Math.floor(seconds / 3600) % 24).padStart(2, "0")}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}`;

function duration(hours: number): string {
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  return `${Math.round(hours * 10) / 10} h`.replace(".0 h", " h");
}

/** The reasons in words for an encoded event (see PROFILE_FEATURES), as data with their English sentence. */
export function profileReasons(event: EncodableEvent, state: ProfileState, v: Float64Array, o: number): FindingReason[] {
  const out: FindingReason[] = [];
  const add = (code: string, text: string, params: FindingReason["params"]) => out.push({ code, text, params });
  const key = profileKey(event);
  const account = state.accounts.get(key);
  const month = state.month;
  const who = key === "" ? "events without an account" : "this account";
  const what = event.isLogin ? "login" : event.isFailedLogin ? "failed login" : `\`${event.action}\``;
  const whatKind = event.isLogin ? "login" : event.isFailedLogin ? "failed-login" : "action";
  if (v[o + F.account_new]! > 0) add("unknown-account", `${key === "" ? "an event without an account" : `${key}`} had no event in ${month}: an account not seen before`, { account: key, month });
  else if (v[o + F.profile_fallback] === 1 && account) add("few-history", `${key} had too little history in ${month} (${account.events} events on ${account.activeDays} days) for a profile of its own; compared with everyone`, { account: key, month, events: account.events, days: account.activeDays });
  const address = addressKey(event);
  const nobodyUsed = address !== "" && (state.population.addresses.get(address) ?? 0) === 0;
  if (v[o + F.address_new]! > 0) add("new-address", `first ${what} from ${address} for ${who}${nobodyUsed ? ` (no one used it in ${month})` : ""}`, { ip: address, nobody: nobodyUsed, month, what: whatKind, action: event.action });
  if (v[o + F.network_new]! > 0) add("new-network", `first use of the network ${networkLabel(networkOf(address))} by ${who}`, { network: networkLabel(networkOf(address)) });
  if (v[o + F.app_new]! > 0) add("new-app", `first use of app ${event.appId} by ${who}`, { app: event.appId ?? "", appName: event.appName ?? "" });
  const globalCount = state.population.actions.get(event.action) ?? 0;
  if (globalCount === 0) add("new-action-global", `first \`${event.action}\` by anyone last month`, { action: event.action, month });
  else if (account && account.own && (account.actions.get(event.action) ?? 0) === 0) {
    add("new-action-account", `first \`${event.action}\` by this account (others did it ${globalCount} time${globalCount === 1 ? "" : "s"} in ${month})`, { action: event.action, others: globalCount, month });
  }
  const hours = v[o + F.hours_outside]!;
  if (hours >= 0.5) {
    const h = account && account.own ? account : state.population;
    const seconds = state.clock.secondsOfDay(event.occurredAt.getTime());
    const side = hoursOutside(seconds, h.arcStart, h.arcLength);
    const everyone = h === state.population;
    const whose = everyone ? "everyone's" : "this account's";
    const usual = side.after ? hhmm((h.arcStart + h.arcLength) % 86_400) : hhmm(h.arcStart);
    // Whether the time lies inside the organisation's usual hours too (a later afternoon than the
    // account's usual is told, but on its own it is no finding: see findings/novelty.ts).
    const organisation = !everyone && hoursOutside(seconds, state.population.arcStart, state.population.arcLength).hours < 0.5;
    const params = { time: hhmm(seconds), hours: Math.round(hours * 10) / 10, after: side.after, usual, everyone, ...(organisation ? { organisationUsual: true } : {}) };
    add("unusual-hour", side.after
      ? `${hhmm(seconds)} is ${duration(hours)} after ${whose} usual last activity (${usual})`
      : `${hhmm(seconds)} is ${duration(hours)} before ${whose} usual first activity (${usual})`, params);
  }
  const failures = Math.round(v[o + F.failed_then_succeeded]!);
  if (failures > 0) add("failed-then-succeeded", `successful login after ${failures} failed attempt${failures === 1 ? "" : "s"} from the same address within 10 minutes`, { failures, ip: address });
  if (v[o + F.burst]! > 0) {
    const h = account && account.own ? account : state.population;
    // A reported event's burst is (others − usual) / (usual + 1) with usual = h.burst.
    const others = Math.round(v[o + F.burst]! * (h.burst + 1) + h.burst);
    add("burst", `${others + 1} events by ${who} within 10 minutes (usually at most ${h.burst + 1})`, { count: others + 1, usual: h.burst + 1, minutes: 10 });
  }
  return out;
}

/** Sentences in words for an encoded event (see PROFILE_FEATURES). */
export function explainProfile(event: EncodableEvent, state: ProfileState, v: Float64Array, o: number): string[] {
  return profileReasons(event, state, v, o).map((r) => r.text);
}

/** The account's habits for the report (usual hours, known addresses), null when it had no profile of its own. */
export function describeProfileAccount(event: EncodableEvent, state: ProfileState): AccountProfile | null {
  const h = state.accounts.get(profileKey(event));
  if (!h || !h.own) return null;
  const usualHours: number[] = [];
  for (let hour = 0; hour < 24; hour++) {
    // An hour is usual when any part of it lies in the arc.
    const offset = (((hour * 3600 - h.arcStart) % 86_400) + 86_400) % 86_400;
    if (offset < h.arcLength || offset + 3600 > 86_400) usualHours.push(hour);
  }
  const knownIps = [...h.addresses].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5).map(([ip]) => ip);
  return { usualHours, knownIps, events: h.events, activeDays: h.activeDays };
}

export const profileFeatureSet: FeatureSet<ProfileState> = {
  name: "profile",
  description: "Per-account habits from last month: usual hours, action frequencies, first-seen address, network and app, rarity, failed-then-succeeded, bursts.",
  columns: ["account", "action", "ip", "ipParsed", "appId", "result", "isLogin", "isFailedLogin", "isMobile"],
  featureNames: PROFILE_FEATURES,
  modelOptions: { varianceFloor: PROFILE_VARIANCE_FLOORS, shrinkage: "oas", robust: { quantile: 0.975, maxTrimmed: 0.0005 } },
  fit(events: readonly EncodableEvent[], context: FitContext): ProfileState {
    return fitProfiles(events, context);
  },
  fitter: profileFitter,
  neighbourMs: Math.max(BURST_WINDOW_MS, FAILURE_WINDOW_MS),
  encode: encodeProfile,
  save: (state: ProfileState): JsonValue => saveProfiles(state),
  load: (json: JsonValue, context: FitContext): ProfileState => loadProfiles(json, context),
  defaultThreshold(distances: Float64Array, config: Config): number {
    return quantileThreshold(distances, config.targetFpr, config.minTailEvents);
  },
  settingsKey: (config: Config) => `${PROFILE_ENCODING};MIN_PROFILE_DAYS=${config.minProfileDays};MIN_PROFILE_EVENTS=${config.minProfileEvents};TARGET_FPR=${config.targetFpr};MIN_TAIL_EVENTS=${config.minTailEvents}`,
  explain: explainProfile,
  reasons: profileReasons,
  describeAccount: describeProfileAccount,
};
