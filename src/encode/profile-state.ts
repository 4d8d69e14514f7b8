/**
 * What the profile feature set learns from the baseline month: per account (or, for events
 * without one, per API client) how many events on how many days, the usual hours as the
 * shortest arc of the day holding HOURS_COVERAGE of its events, the addresses, networks, apps and
 * actions it used with their counts, the carrier blocks its phone used, and the largest ordinary
 * burst; the same over everybody (the population, used for accounts with too little history).
 * Saved as compact JSON.
 */
import type { JsonObject, JsonValue } from "../core/types.ts";
import type { ChunkFitter, EncodableEvent, FitContext, MonthChunk } from "./feature-set.ts";
import { carrierBlockOf, networkOf } from "../core/ip-address.ts";
import { ZoneClock } from "./local-time.ts";
import { addressKey, isMobileEvent, neighbourCounts, profileKey } from "./profile-window.ts";

/** Share of an account's events its usual hours hold. */
export const HOURS_COVERAGE = 0.98;
/** The day is cut into bins of this many minutes to find the usual hours. */
export const HOUR_BIN_MINUTES = 15;

const BINS = (24 * 60) / HOUR_BIN_MINUTES;

/** One account's (or the population's) habits in the baseline month. */
export interface Habits {
  key: string;
  events: number;
  activeDays: number;
  /** True when the account has enough history for a profile of its own (false: compared with the population). */
  own: boolean;
  /** Usual hours: the arc [arcStart, arcStart + arcLength) in seconds after local midnight (may wrap). */
  arcStart: number;
  arcLength: number;
  /** Ordinary burst: the most "other events within ±5 min" any of the account's events had. */
  burst: number;
  /** The local day (days since the epoch in the zone) of that largest burst; NaN when none was above 0. */
  burstDay: number;
  /**
   * The largest burst on any other day: the baseline's own events on burstDay are compared with
   * it (leave one day out), so the baseline shows how often a day sets a new high. Compared with
   * the month's largest, the baseline's burst column would be 0 by construction and every
   * slightly busier day afterwards would look impossible.
   */
  burstElsewhere: number;
  addresses: Map<string, number>;
  networks: Map<string, number>;
  /**
   * How often the account meets a new address, network or app: the Good–Turing estimate of
   * P(new), values seen once over events with a value (0..1). An account whose every event comes
   * from somewhere new (`nobody`'s failed logins) has a rate near 1.
   */
  newRate: { address: number; network: number; app: number; action: number };
  /** −log newRate: how surprising a first-seen value is for this account (the first-seen features' value). */
  surprise: { address: number; network: number; app: number; action: number };
  apps: Map<string, number>;
  actions: Map<string, number>;
  /** Carrier blocks (/16, /32: carrierBlockOf) of the addresses the account used from a phone or tablet. */
  mobileBlocks: Map<string, number>;
}

export interface ProfileState {
  clock: ZoneClock;
  month: string;
  minDays: number;
  minEvents: number;
  accounts: Map<string, Habits>;
  population: Habits;
  /**
   * −log P̂(new account) (Good–Turing, add-one) among failed logins and among everything else:
   * mistyped names make an unseen account ordinary in a failed login, never in a success.
   */
  newAccountSurprise: { failed: number; other: number };
}

function emptyHabits(key: string): Habits {
  return { key, events: 0, activeDays: 0, own: false, arcStart: 0, arcLength: 86_400, burst: 0, burstDay: Number.NaN, burstElsewhere: 0, addresses: new Map(), networks: new Map(), newRate: { address: 0, network: 0, app: 0, action: 0 }, surprise: { address: 0, network: 0, app: 0, action: 0 }, apps: new Map(), actions: new Map(), mobileBlocks: new Map() };
}

const bump = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

/** The shortest circular arc of bins holding at least `coverage` of `counts` (start bin, length in bins). */
export function usualArc(counts: readonly number[], coverage = HOURS_COVERAGE): { start: number; length: number } {
  const bins = counts.length;
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return { start: 0, length: bins };
  const need = coverage * total;
  let best = { start: 0, length: bins };
  for (let start = 0; start < bins; start++) {
    if (counts[start] === 0) continue; // a shortest arc starts on an occupied bin
    let sum = 0;
    for (let length = 1; length <= bins && length < best.length; length++) {
      sum += counts[(start + length - 1) % bins]!;
      if (sum >= need - 1e-9) {
        best = { start, length };
        break;
      }
    }
  }
  return best;
}

/**
 * Good–Turing P(new) of a count table, add-one smoothed: (values seen once + 1) / (occurrences + 2).
 * An account that met 40 new addresses in 100 events has 0.4; one always at the office with 600
 * events has 1/602.
 */
export function newRate(counts: Map<string, number>): number {
  let once = 0;
  let total = 0;
  for (const c of counts.values()) {
    total += c;
    if (c === 1) once++;
  }
  return (once + 1) / (total + 2);
}

function count(target: Habits, event: EncodableEvent, address: string, mobile: boolean): void {
  target.events++;
  if (address !== "") bump(target.addresses, address);
  if (event.appId) bump(target.apps, event.appId);
  bump(target.actions, event.action);
  if (mobile) bump(target.mobileBlocks, carrierBlockOf(address));
}

/** Note a burst of `others` on local `day` (see Habits.burst, burstDay, burstElsewhere). */
function noteBurst(h: Habits, day: number, others: number): void {
  if (day === h.burstDay) {
    if (others > h.burst) h.burst = others;
  } else if (others > h.burst) {
    h.burstElsewhere = h.burst;
    h.burst = others;
    h.burstDay = day;
  } else if (others > h.burstElsewhere) {
    h.burstElsewhere = others;
  }
}

function finishHabits(h: Habits, bins: number[], days: Set<number>, minDays: number, minEvents: number): void {
  const arc = usualArc(bins);
  h.arcStart = arc.start * HOUR_BIN_MINUTES * 60;
  h.arcLength = arc.length * HOUR_BIN_MINUTES * 60;
  h.activeDays = days.size;
  h.own = h.activeDays >= minDays || h.events >= minEvents;
  derive(h);
}

/** Networks from addresses, and the new-value rates. */
function derive(h: Habits): void {
  for (const [address, count] of h.addresses) bump(h.networks, networkOf(address), count);
  h.newRate = { address: newRate(h.addresses), network: newRate(h.networks), app: newRate(h.apps), action: newRate(h.actions) };
  h.surprise = { address: -Math.log(h.newRate.address), network: -Math.log(h.newRate.network), app: -Math.log(h.newRate.app), action: -Math.log(h.newRate.action) };
}

/**
 * Learning the profiles a chunk of the month at a time (time order): what it keeps grows with
 * the accounts and the distinct addresses, apps and actions, not with the events.
 */
export function profileFitter(context: FitContext): Required<ChunkFitter<ProfileState>> {
  const clock = new ZoneClock(context.timezone);
  const minDays = context.config.minProfileDays;
  const minEvents = context.config.minProfileEvents;
  const population = emptyHabits("*");
  const popBins = new Array<number>(BINS).fill(0);
  const popDays = new Set<number>();
  /** Per account, in order of first appearance: its habits, its events per time bin, its active days. */
  const accounts = new Map<string, { habits: Habits; bins: number[]; days: Set<number> }>();
  const failedAccounts = new Map<string, number>();
  const otherAccounts = new Map<string, number>();
  return {
    add({ events, from, to }: MonthChunk): void {
      const windows = neighbourCounts(events);
      for (let i = from; i < to; i++) {
        const event = events[i]!;
        const key = profileKey(event);
        let account = accounts.get(key);
        if (account === undefined) {
          account = { habits: emptyHabits(key), bins: new Array<number>(BINS).fill(0), days: new Set() };
          accounts.set(key, account);
        }
        const t = event.occurredAt.getTime();
        const bin = Math.floor(clock.secondsOfDay(t) / (HOUR_BIN_MINUTES * 60));
        const day = clock.dayNumber(t);
        const address = addressKey(event);
        const mobile = address !== "" && isMobileEvent(event);
        count(account.habits, event, address, mobile);
        count(population, event, address, mobile);
        bump(event.isFailedLogin ? failedAccounts : otherAccounts, key);
        account.bins[bin]! += 1;
        popBins[bin]! += 1;
        account.days.add(day);
        popDays.add(day);
        noteBurst(account.habits, day, windows.burst[i]!);
        noteBurst(population, day, windows.burst[i]!);
      }
    },
    finish(): ProfileState {
      for (const { habits, bins, days } of accounts.values()) finishHabits(habits, bins, days, minDays, minEvents);
      finishHabits(population, popBins, popDays, minDays, minEvents);
      return {
        clock, month: context.month, minDays, minEvents, accounts: new Map([...accounts].map(([key, { habits }]) => [key, habits])), population,
        newAccountSurprise: { failed: -Math.log(newRate(failedAccounts)), other: -Math.log(newRate(otherAccounts)) },
      };
    },
  };
}

/** Learn the profiles from the baseline month's events (any order), all at once. */
export function fitProfiles(events: readonly EncodableEvent[], context: FitContext): ProfileState {
  const fitter = profileFitter(context);
  fitter.add({ events, from: 0, to: events.length });
  return fitter.finish();
}

const toObject = (map: Map<string, number>): JsonObject => Object.fromEntries(map);

function habitsToJson(h: Habits): JsonObject {
  // Networks are derived from the addresses on load.
  return { n: h.events, d: h.activeDays, a: [h.arcStart, h.arcLength], b: h.burst, bd: Number.isNaN(h.burstDay) ? null : h.burstDay, be: h.burstElsewhere, ip: toObject(h.addresses), app: toObject(h.apps), act: toObject(h.actions), mb: toObject(h.mobileBlocks) };
}

function toMap(value: JsonValue | undefined): Map<string, number> {
  const map = new Map<string, number>();
  if (value && typeof value === "object" && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) map.set(k, Number(v) || 0);
  return map;
}

function habitsFromJson(key: string, json: JsonValue | undefined, minDays: number, minEvents: number): Habits {
  const h = emptyHabits(key);
  if (!json || typeof json !== "object" || Array.isArray(json)) return h;
  h.events = Number(json.n) || 0;
  h.activeDays = Number(json.d) || 0;
  const arc = Array.isArray(json.a) ? json.a : [];
  h.arcStart = Number(arc[0]) || 0;
  h.arcLength = Number(arc[1] ?? 86_400);
  h.burst = Number(json.b) || 0;
  h.burstDay = typeof json.bd === "number" ? json.bd : Number.NaN;
  h.burstElsewhere = Number(json.be) || 0;
  h.addresses = toMap(json.ip);
  h.apps = toMap(json.app);
  h.actions = toMap(json.act);
  h.mobileBlocks = toMap(json.mb);
  h.own = h.activeDays >= minDays || h.events >= minEvents;
  derive(h);
  return h;
}

/** The state as compact JSON (about 1 kB per account). */
export function saveProfiles(state: ProfileState): JsonValue {
  const accounts: JsonObject = {};
  for (const [key, h] of state.accounts) accounts[key] = habitsToJson(h);
  return {
    v: 2, timezone: state.clock.zone, month: state.month,
    newAccount: [state.newAccountSurprise.failed, state.newAccountSurprise.other], population: habitsToJson(state.population), accounts,
  };
}

/** The state back from saveProfiles' JSON (with the settings of `context`). */
export function loadProfiles(json: JsonValue, context: FitContext): ProfileState {
  const minDays = context.config.minProfileDays;
  const minEvents = context.config.minProfileEvents;
  const obj = json && typeof json === "object" && !Array.isArray(json) ? json : {};
  const newAccount = Array.isArray(obj.newAccount) ? obj.newAccount : [0, 0];
  const accounts = new Map<string, Habits>();
  const stored = obj.accounts && typeof obj.accounts === "object" && !Array.isArray(obj.accounts) ? obj.accounts : {};
  for (const [key, value] of Object.entries(stored)) accounts.set(key, habitsFromJson(key, value, minDays, minEvents));
  return {
    clock: new ZoneClock(context.timezone), month: typeof obj.month === "string" ? obj.month : context.month,
    minDays, minEvents, accounts,
    population: habitsFromJson("*", obj.population, minDays, minEvents),
    newAccountSurprise: { failed: Number(newAccount[0]) || 0, other: Number(newAccount[1]) || 0 },
  };
}
