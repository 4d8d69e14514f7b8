/**
 * Issue 25: routine's habits summarised in the database (one row per account and action) equal
 * the habits actionHabits computes from every event, in a zone with a daylight-saving change in
 * the month (America/New_York, March 2026), with mixed-case accounts, critical work, several
 * addresses and apps, and accounts and actions that were not asked for left out.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { monthRange } from "../../src/core/calendar.ts";
import { loadHabitSummaries } from "../../src/store/event-queries.ts";
import { actionHabits, addHabitSummaries, CRITICAL_WORK, habitKey, accountKey, type RoutineHistory } from "../../src/report/findings/routine.ts";
import { event, openTestDatabase, random, store } from "./fixtures.ts";

const ZONE = "America/New_York";
const scope = { source: "kintone", tenant: "example.cybozu.com" };

function month() {
  const rnd = random(11);
  const out = [];
  const accounts = ["Alice", "alice", "bob", "carol", "dave"];
  const actions = ["login", "Record view", "User added", "Group changed", "Record file download"];
  for (let day = 1; day <= 31; day++) {
    for (let k = 0; k < 40; k++) {
      const hour = Math.floor(rnd() * 24);
      const minute = Math.floor(rnd() * 60);
      const local = `2026-03-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00`;
      const action = actions[Math.floor(rnd() * actions.length)]!;
      out.push(event(local, {
        account: accounts[Math.floor(rnd() * accounts.length)]!, action, isCritical: action === "User added" || action === "Group changed",
        ip: `198.51.100.${Math.floor(rnd() * 4)}`, appId: rnd() < 0.2 ? null : String(10 + Math.floor(rnd() * 3)),
      }, ZONE));
    }
  }
  return out;
}

const plain = (history: Pick<RoutineHistory, "habits" | "accountHours">, keys: string[], accountKeys: string[]) => ({
  habits: keys.map((k) => {
    const h = history.habits.get(k);
    return h ? { days: h.days, maxPerDay: h.maxPerDay, hours: [...h.hours].sort(), addresses: [...h.addresses].sort(), apps: [...h.apps].sort() } : null;
  }),
  hours: accountKeys.map((k) => [...(history.accountHours.get(k) ?? [])].sort()),
});

test("habits summarised by the store equal actionHabits over every event (daylight-saving month)", async () => {
  const db = await openTestDatabase();
  try {
    const events = month();
    await store(db, events);
    const accounts = ["alice", "bob", "carol"];
    const pairs = [
      { account: "alice", action: "login" }, { account: "Alice", action: "User added" }, { account: "bob", action: "Record file download" },
      { account: "carol", action: "Group changed" }, { account: "carol", action: "never done" },
    ];
    const summaries = await loadHabitSummaries(db, scope, monthRange("2026-03", ZONE), ZONE, accounts, pairs, CRITICAL_WORK);
    const fromStore = { habits: new Map(), accountHours: new Map() } as Pick<RoutineHistory, "habits" | "accountHours">;
    addHabitSummaries(fromStore, scope, summaries);
    const wanted = events.filter((e) => accounts.includes(e.account.toLowerCase()));
    const fromRows = actionHabits(wanted, ZONE);
    const keys = [...pairs.map((p) => habitKey({ ...scope, ...p })), ...accounts.map((account) => habitKey({ ...scope, account, action: CRITICAL_WORK }))];
    const accountKeys = accounts.map((account) => accountKey({ ...scope, account }));
    const expected = plain(fromRows, keys, accountKeys);
    assert.deepEqual(plain(fromStore, keys, accountKeys), expected);
    assert.ok(expected.habits.filter((h) => h !== null).length >= 7, "most keys have habits");
    assert.equal(expected.habits[4], null, "an action never done has none");
    // Only what was asked for: dave and the pairs not listed are not loaded.
    assert.ok(summaries.habits.every((h) => accounts.includes(h.account)));
    assert.equal(summaries.habits.length, 4 + accounts.length);
    assert.equal(fromStore.accountHours.has(accountKey({ ...scope, account: "dave" })), false);
  } finally {
    await db.close();
  }
});
