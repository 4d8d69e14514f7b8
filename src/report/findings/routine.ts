/**
 * Routine: what an account does regularly. An event is routine when its account did the same
 * action (same source and tenant) on at least ROUTINE_MIN_DAYS days of the baseline month, from
 * this address (and, for an event that is neither critical nor an export, in this app), at one of the account's usual hours (an hour of the day, give or take one, in which
 * it did anything last month), and the day holds at most twice and one more than the account's
 * busiest day of that action last month (so a mass download by someone who exports three files
 * every day is not routine). A critical event is also routine when the account's critical work as
 * a whole (any critical action) passes the same test: an administrator who administers users,
 * groups and apps on most days does each of them on fewer, as long as it did this very action at
 * least once last month. This holds for a change the source's catalogue rates high (a security
 * setting) too, and the mail lists such routine changes, every one, right after the high findings.
 * An event inside a large burst is never routine (findings decide: build-findings.ts). A routine event is low and never an outlier ("routine: on 4 days last month").
 */
import { ZoneClock } from "../../encode/local-time.ts";
import type { ReportEvent } from "../../core/report-model.ts";

/** Days of the baseline month an action must have been done on to be routine. */
export const ROUTINE_MIN_DAYS = 3;

/** What the baseline month shows of one account's one action. */
export interface ActionHabit {
  days: number;
  /** Local hours of day (0..23) it was done in. */
  hours: Set<number>;
  addresses: Set<string>;
  /** Apps it was done in ("" for none). */
  apps: Set<string>;
  /** Most times it was done on one day. */
  maxPerDay: number;
}

/** Habits by habitKey, the accounts' hours by accountKey; `today` counts the reported day's events by habitKey. */
export interface RoutineHistory {
  habits: Map<string, ActionHabit>;
  accountHours: Map<string, Set<number>>;
  today: Map<string, number>;
}

/** The key of an account in a source and tenant (account in lower case). */
export function accountKey(e: Pick<ReportEvent, "source" | "tenant" | "account">): string {
  return [e.source, e.tenant, e.account.trim().toLowerCase()].join("\u0000");
}

/** The key of an account's action in a source and tenant (account in lower case). */
export function habitKey(e: Pick<ReportEvent, "source" | "tenant" | "account" | "action">): string {
  return [e.source, e.tenant, e.account.trim().toLowerCase(), e.action].join("\u0000");
}

/** A row of the baseline month as routine needs it. */
export interface HabitRow {
  source: string;
  tenant: string;
  account: string;
  action: string;
  occurredAt: Date;
  ip: string;
  appId: string | null;
  isCritical: boolean;
  /** Events the row stands for (a grouped row); default 1. */
  count?: number;
}

/** The action habitKey uses for an account's critical work as a whole (an admin's Notice-level administration). */
export const CRITICAL_WORK = "\u0000critical";

/** The habits of the rows (the baseline month's events of the accounts of interest). */
export function actionHabits(rows: Iterable<HabitRow>, timezone: string): Pick<RoutineHistory, "habits" | "accountHours"> {
  const clock = new ZoneClock(timezone);
  const accountHours = new Map<string, Set<number>>();
  const perDay = new Map<string, Map<string, number>>();
  const habits = new Map<string, ActionHabit>();
  for (const row of rows) for (const key of row.isCritical ? [habitKey(row), habitKey({ ...row, action: CRITICAL_WORK })] : [habitKey(row)]) {
    const t = row.occurredAt.getTime();
    const habit = habits.get(key) ?? { days: 0, hours: new Set<number>(), addresses: new Set<string>(), apps: new Set<string>(), maxPerDay: 0 };
    const hour = clock.hour(t);
    habit.hours.add(hour);
    const hours = accountHours.get(accountKey(row)) ?? new Set<number>();
    hours.add(hour);
    accountHours.set(accountKey(row), hours);
    habit.addresses.add(row.ip);
    habit.apps.add(row.appId ?? "");
    habits.set(key, habit);
    const days = perDay.get(key) ?? new Map<string, number>();
    const day = clock.localDate(t);
    days.set(day, (days.get(day) ?? 0) + (row.count ?? 1));
    perDay.set(key, days);
  }
  for (const [key, days] of perDay) {
    const habit = habits.get(key)!;
    habit.days = days.size;
    habit.maxPerDay = Math.max(...days.values());
  }
  return { habits, accountHours };
}

/** What the store summarised of a scope's baseline month (see loadHabitSummaries), with the account in lower case. */
export interface HabitSummaryRow {
  account: string;
  action: string;
  hours: readonly number[];
  addresses: readonly string[];
  apps: readonly string[];
  days: number;
  maxPerDay: number;
}

/** Add a scope's summarised habits and account hours to `history` (keyed as actionHabits keys them). */
export function addHabitSummaries(
  history: Pick<RoutineHistory, "habits" | "accountHours">, scope: { source: string; tenant: string },
  summaries: { habits: readonly HabitSummaryRow[]; accountHours: readonly { account: string; hours: readonly number[] }[] },
): void {
  for (const h of summaries.habits) {
    history.habits.set(habitKey({ ...scope, account: h.account, action: h.action }), {
      days: h.days, hours: new Set(h.hours), addresses: new Set(h.addresses), apps: new Set(h.apps), maxPerDay: h.maxPerDay,
    });
  }
  for (const a of summaries.accountHours) {
    const key = accountKey({ ...scope, account: a.account });
    const hours = history.accountHours.get(key) ?? new Set<number>();
    for (const hour of a.hours) hours.add(hour);
    history.accountHours.set(key, hours);
  }
}

/** Counts of the day's events by habitKey (critical ones also as CRITICAL_WORK). */
export function countToday(events: Iterable<{ listed: Pick<ReportEvent, "source" | "tenant" | "account" | "action">; flags: { isCritical: boolean } }>): Map<string, number> {
  const today = new Map<string, number>();
  for (const e of events) {
    for (const key of e.flags.isCritical ? [habitKey(e.listed), habitKey({ ...e.listed, action: CRITICAL_WORK })] : [habitKey(e.listed)]) today.set(key, (today.get(key) ?? 0) + 1);
  }
  return today;
}

/** The habit that makes the event routine, or null. */
export function isRoutine(e: RoutineCandidate, history: RoutineHistory): ActionHabit | null {
  const own = routineBy(habitKey(e.listed), e, history);
  if (own) return own;
  // By the account's critical work only when the account did this very action last month too:
  // a first MFA policy change, a first app deletion, is news however busy the administrator is.
  if (!history.habits.has(habitKey(e.listed))) return null;
  return e.flags.isCritical ? routineBy(habitKey({ ...e.listed, action: CRITICAL_WORK }), e, history) : null;
}

/** What routine reads of an event of the day. */
type RoutineCandidate = { listed: ReportEvent; hour: number; flags: { isCritical: boolean; isExport: boolean } };

function routineBy(key: string, e: RoutineCandidate, history: RoutineHistory): ActionHabit | null {
  const habit = history.habits.get(key);
  if (!habit || habit.days < ROUTINE_MIN_DAYS) return null;
  const hours = history.accountHours.get(accountKey(e.listed)) ?? habit.hours;
  const usualHour = hours.has(e.hour) || hours.has((e.hour + 23) % 24) || hours.has((e.hour + 1) % 24);
  if (!usualHour || !habit.addresses.has(e.listed.ip)) return null;
  // An outlier's app must be usual too (a first use of an app is what made it one); critical work
  // and exports are the account's habit in any app it works in.
  if (!e.flags.isCritical && !e.flags.isExport && !habit.apps.has(e.listed.appId ?? "")) return null;
  if ((history.today.get(key) ?? 0) > 2 * habit.maxPerDay + 1) return null;
  return habit;
}
