/**
 * The profile feature set on small hand-made months: first-seen flags, usual hours across
 * midnight, fallback accounts, leave-one-out on the baseline's own events, failed-then-succeeded
 * and bursts from the encoded batch, explanations in words, saved state, account profiles.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../../src/sources/config.ts";
import { encodeEvents } from "../../src/encode/encode-events.ts";
import type { EncodableEvent, FitContext } from "../../src/encode/feature-set.ts";
import { carrierBlockOf, networkOf } from "../../src/core/ip-address.ts";
import { hoursOutside, PROFILE_FEATURES, profileFeatureSet } from "../../src/encode/profile.ts";
import { usualArc } from "../../src/encode/profile-state.ts";
import { neighbourCounts } from "../../src/encode/profile-window.ts";
import { DESKTOP_AGENT as DESKTOP, IPHONE_AGENT as IPHONE } from "../helpers/user-agents.ts";
import { getFeatureSet } from "../../src/encode/registry.ts";

const ZONE = "Asia/Tokyo";
const config = loadConfig({ LOG_LEVEL: "silent" });
const context: FitContext = { timezone: ZONE, source: "kintone", tenant: "t", month: "2026-09", config };
const col = (name: (typeof PROFILE_FEATURES)[number]) => PROFILE_FEATURES.indexOf(name);
const D = PROFILE_FEATURES.length;

/** A Tokyo local time as an instant. */
const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+09:00`);

function event(account: string, when: Date, extra: Partial<EncodableEvent> = {}): EncodableEvent {
  return { source: "kintone", tenant: "t", occurredAt: when, account, action: "Record view", ip: "203.0.113.10", ipParsed: "203.0.113.10", appId: "12", isLogin: false, isFailedLogin: false, ...extra };
}

/** September: alice works 09:00–17:59 from the office on 20 days; bob (night shift) 22:00–05:59; carol twice. */
function september(): EncodableEvent[] {
  const out: EncodableEvent[] = [];
  for (let d = 1; d <= 20; d++) {
    const day = `2026-09-${String(d).padStart(2, "0")}`;
    out.push(event("alice", at(day, "09:00"), { action: "login", appId: null, isLogin: true }));
    for (let h = 10; h <= 17; h++) out.push(event("alice", at(day, `${h}:${String((d * 7) % 60).padStart(2, "0")}`), { action: h % 3 === 0 ? "Record edit" : "Record view" }));
    const next = `2026-09-${String(d + 1).padStart(2, "0")}`;
    for (const [dd, hhmm] of [[day, "22:10"], [day, "23:30"], [next, "01:00"], [next, "03:00"], [next, "05:30"]] as const) {
      out.push(event("bob", at(dd, hhmm), { ip: "198.51.100.20", ipParsed: "198.51.100.20", appId: "15" }));
    }
  }
  out.push(event("carol", at("2026-09-03", "11:00")), event("carol", at("2026-09-04", "11:00")));
  return out;
}

const state = profileFeatureSet.fit(september(), context);
const encodeOne = (e: EncodableEvent) => encodeEvents([e], profileFeatureSet, state).data;

test("profile is registered beside classic", () => {
  assert.equal(getFeatureSet("profile"), profileFeatureSet);
  assert.equal(getFeatureSet("classic").name, "classic");
});

test("a new address for an account sets the address flag; a known one does not", () => {
  const known = encodeOne(event("alice", at("2026-10-05", "11:00")));
  assert.equal(known[col("address_new")], 0);
  assert.equal(known[col("network_new")], 0);
  const sameNet = encodeOne(event("alice", at("2026-10-05", "11:00"), { ip: "203.0.113.144", ipParsed: "203.0.113.144" }));
  assert.ok(sameNet[col("address_new")]! > 0, "new address");
  assert.equal(sameNet[col("network_new")], 0, "same /24 as the office");
  const elsewhere = encodeOne(event("alice", at("2026-10-05", "11:00"), { ip: "45.134.1.2", ipParsed: "45.134.1.2" }));
  assert.ok(elsewhere[col("address_new")]! > 0 && elsewhere[col("network_new")]! > 0);
  assert.ok(elsewhere[col("address_rarity")]! > known[col("address_rarity")]!, "an address nobody used is rarer");
  // bob's office address is new for alice even though bob uses it.
  const bobs = encodeOne(event("alice", at("2026-10-05", "11:00"), { ip: "198.51.100.20", ipParsed: "198.51.100.20" }));
  assert.ok(bobs[col("address_new")]! > 0);
  const app = encodeOne(event("alice", at("2026-10-05", "11:00"), { appId: "99" }));
  assert.ok(app[col("app_new")]! > 0);
});

test("the baseline's own events are encoded leave-one-out", () => {
  // carol's two September events each from the same address: seen once more besides itself.
  const own = encodeEvents([event("alice", at("2026-09-05", "11:00"), { ip: "192.0.2.99", ipParsed: "192.0.2.99" })], profileFeatureSet, state, { baseline: true }).data;
  assert.ok(own[col("address_new")]! > 0, "an address absent from the fit is new");
  const ordinary = encodeEvents(september(), profileFeatureSet, state, { baseline: true }).data;
  for (let i = 0; i < ordinary.length / D; i++) assert.equal(ordinary[i * D + col("address_new")], 0, `row ${i}`);
  // An address alice used once in September is new when that one event is left out, known on a later day.
  const once = event("alice", at("2026-09-06", "12:00"), { ip: "192.0.2.7", ipParsed: "192.0.2.7" });
  const withOnce = profileFeatureSet.fit([...september(), once], context);
  assert.ok(encodeEvents([once], profileFeatureSet, withOnce, { baseline: true }).data[col("address_new")]! > 0);
  assert.equal(encodeEvents([{ ...once, occurredAt: at("2026-10-06", "12:00") }], profileFeatureSet, withOnce).data[col("address_new")], 0);
});

test("usual hours wrap around midnight", () => {
  assert.deepEqual(usualArc([0, 5, 0, 0, 0, 0, 0, 5], 1), { start: 7, length: 3 });
  assert.deepEqual(hoursOutside(2 * 3600, 22 * 3600, 8 * 3600), { hours: 0, after: false }, "02:00 inside 22:00–06:00");
  assert.deepEqual(hoursOutside(7 * 3600, 22 * 3600, 8 * 3600), { hours: 1, after: true });
  assert.deepEqual(hoursOutside(21 * 3600, 22 * 3600, 8 * 3600), { hours: 1, after: false });
  // bob at 02:30 is usual, at 13:00 far off; alice at 02:30 is far off.
  assert.equal(encodeOne(event("bob", at("2026-10-06", "02:30"), { ip: "198.51.100.20", ipParsed: "198.51.100.20", appId: "15" }))[col("hours_outside")], 0);
  const bobNoon = encodeOne(event("bob", at("2026-10-06", "13:00"), { ip: "198.51.100.20", ipParsed: "198.51.100.20", appId: "15" }))[col("hours_outside")]!;
  assert.ok(bobNoon > 6 && bobNoon < 8, String(bobNoon));
  const aliceNight = encodeOne(event("alice", at("2026-10-06", "02:30")))[col("hours_outside")]!;
  assert.ok(aliceNight > 6 && aliceNight < 7, String(aliceNight));
});

test("accounts with too little history are marked and compared with everybody; unknown accounts too", () => {
  const carol = encodeOne(event("carol", at("2026-10-05", "11:00")));
  assert.equal(carol[col("profile_fallback")], 1);
  assert.equal(carol[col("account_new")], 0);
  const alice = encodeOne(event("alice", at("2026-10-05", "11:00")));
  assert.equal(alice[col("profile_fallback")], 0);
  const ghost = encodeOne(event("mallory", at("2026-10-05", "11:00")));
  assert.ok(ghost[col("account_new")]! > 3, "an unseen account that is not a failed login is very surprising");
  const typo = encodeOne(event("mallory", at("2026-10-05", "11:00"), { action: "login", isFailedLogin: true, appId: null }));
  assert.ok(typo[col("account_new")]! > 0);
  assert.equal(ghost[col("profile_fallback")], 1);
  // With MIN_PROFILE_EVENTS=1 carol has her own profile.
  const lenient = profileFeatureSet.fit(september(), { ...context, config: loadConfig({ LOG_LEVEL: "silent", MIN_PROFILE_EVENTS: "1" }) });
  assert.equal(encodeEvents([event("carol", at("2026-10-05", "11:00"))], profileFeatureSet, lenient).data[col("profile_fallback")], 0);
});

test("actions: never done by the account, never done by anyone", () => {
  const usual = encodeOne(event("alice", at("2026-10-05", "11:00")));
  const bobsOnly = encodeOne(event("alice", at("2026-10-05", "11:00"), { action: "Record edit" }));
  assert.equal(bobsOnly[col("action_new")], 0, "alice does edits");
  const never = encodeOne(event("alice", at("2026-10-05", "11:00"), { action: "Record bulk delete" }));
  assert.ok(never[col("action_new")]! > 0);
  assert.ok(never[col("action_account")]! > usual[col("action_account")]! + 5);
  assert.ok(never[col("action_global")]! > usual[col("action_global")]! + 5);
});

test("failed then succeeded from the same address, and bursts, come from the encoded batch", () => {
  const day = "2026-10-07";
  const failed = (hhmm: string, ip = "45.134.1.2") => event("alice", at(day, hhmm), { action: "login", appId: null, isFailedLogin: true, ip, ipParsed: ip });
  const batch = [failed("10:00"), failed("10:01"), failed("10:02", "203.0.113.10"), event("alice", at(day, "10:03"), { action: "login", appId: null, isLogin: true, ip: "45.134.1.2", ipParsed: "45.134.1.2" })];
  const v = encodeEvents(batch, profileFeatureSet, state).data;
  assert.equal(v[3 * D + col("failed_then_succeeded")], 2, "two failures from that address");
  // Alone, the same login has no context.
  assert.equal(encodeOne(batch[3]!)[col("failed_then_succeeded")], 0);
  // Out of order input gives the same counts.
  const reversed = encodeEvents([...batch].reverse(), profileFeatureSet, state).data;
  assert.equal(reversed[0 * D + col("failed_then_succeeded")], 2);
  // A failure 11 minutes before does not count.
  const late = encodeEvents([failed("09:50"), batch[3]!], profileFeatureSet, state).data;
  assert.equal(late[1 * D + col("failed_then_succeeded")], 0);

  const burst = Array.from({ length: 30 }, (_, k) => event("alice", new Date(at(day, "14:00").getTime() + k * 10_000), { action: "Record file download" }));
  const b = encodeEvents(burst, profileFeatureSet, state).data;
  assert.ok(b[15 * D + col("burst")]! > 1.5, String(b[15 * D + col("burst")]));
  // The explanation counts the burst back from the encoded value: all 30 events lie within ±5 minutes.
  const words = profileFeatureSet.explain!(burst[15]!, state, b, 15 * D);
  assert.ok(words.some((w) => w.startsWith("30 events by this account within 10 minutes")), words.join(" | "));
  assert.equal(encodeOne(event("alice", at(day, "15:00")))[col("burst")], 0);
});

test("a batch of many accounts encodes each event the same whatever order the batch comes in", () => {
  const day = "2026-10-08";
  const batch: EncodableEvent[] = [];
  for (let k = 0; k < 120; k++) {
    const who = ["alice", "bob", "carol", "dave"][k % 4]!;
    const when = new Date(at(day, "09:00").getTime() + ((k * 7919) % 3600) * 1000);
    const ip = k % 5 === 0 ? "45.134.1.2" : "203.0.113.10";
    batch.push(event(who, when, k % 3 === 0 ? { action: "login", appId: null, isFailedLogin: k % 2 === 0, isLogin: k % 2 === 1, ip, ipParsed: ip } : { ip, ipParsed: ip }));
  }
  for (const [who, hhmm, failed] of [["dave", "09:20", true], ["alice", "09:21", true], ["dave", "09:22", true], ["dave", "09:24", false], ["alice", "09:25", false]] as const) {
    batch.splice(17 * batch.length % 97, 0, event(who, at(day, hhmm), { action: "login", appId: null, isFailedLogin: failed, isLogin: !failed, ip: "45.134.1.2", ipParsed: "45.134.1.2" }));
  }
  const byTime = [...batch].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const sorted = encodeEvents(byTime, profileFeatureSet, state).data;
  const shuffled = encodeEvents(batch, profileFeatureSet, state).data;
  let bursts = 0;
  let failures = 0;
  for (let k = 0; k < batch.length; k++) {
    const r = byTime.indexOf(batch[k]!);
    assert.deepEqual(Array.from(shuffled.subarray(k * D, (k + 1) * D)), Array.from(sorted.subarray(r * D, (r + 1) * D)), `event ${k}`);
    bursts += shuffled[k * D + col("burst")]! > 0 ? 1 : 0;
    failures += shuffled[k * D + col("failed_then_succeeded")]!;
  }
  assert.ok(bursts > 0 && failures > 0, `the batch exercises both windows (${bursts} bursts, ${failures} failures)`);
});

test("in a batch each event gets what it gets alone, but for the two columns that need its neighbours", () => {
  // Every column but the two that need the batch (failures before, bursts).
  const own = (v: Float64Array, k: number) => Array.from(v.subarray(k * D, k * D + col("failed_then_succeeded")));
  const mixed: EncodableEvent[] = [];
  const ips = ["203.0.113.10", "198.51.100.20", "45.134.1.2", ""];
  for (let k = 0; k < 96; k++) {
    const who = ["alice", "bob", "carol", "mallory"][k % 4]!;
    const ip = ips[(k >> 2) % 4]!;
    mixed.push(event(who, new Date(at("2026-10-09", "08:00").getTime() + k * 600_000), { action: ["Record view", "Record edit", "Record bulk delete"][k % 3]!, appId: k % 5 === 0 ? null : String(12 + (k % 4)), ip, ipParsed: ip === "" ? null : ip }));
  }
  const together = encodeEvents(mixed, profileFeatureSet, state).data;
  mixed.forEach((e, k) => assert.deepEqual(own(together, k), own(encodeOne(e), 0), `event ${k}`));
  const news = mixed.filter((_, k) => together[k * D + col("address_new")]! > 0).length;
  // alice from her office (8 of her 24) and carol's too are known, the rest new.
  assert.ok(news > 0 && news < mixed.length, `${news} new addresses of ${mixed.length}`);
});

test("accounts, actions, apps and addresses that look like object internals or numbers stay plain values", () => {
  // A table kept in a plain object would break on __proto__ or "0"; two events of each value, a second apart.
  const odd = ["__proto__", "constructor", "toString", "hasOwnProperty", "0", "00", "1", "4294967295", "-1", "", " ", "alice"];
  const batch = odd.flatMap((value, k) => [0, 1].map((r) => event(value, new Date(at("2026-10-09", "09:00").getTime() + (2 * k + r) * 1000), {
    action: value, appId: value === "" ? null : value, ip: value, ipParsed: null,
  })));
  const { burst } = neighbourCounts(batch);
  // Each value's two events are a burst of one other (" " is an account of its own, "" is no account and no app).
  batch.forEach((_, i) => assert.equal(burst[i], 1, `event ${i}`));
  const fitted = profileFeatureSet.fit(batch, context);
  assert.deepEqual([...fitted.accounts.keys()], odd);
  const v = encodeEvents(batch, profileFeatureSet, fitted).data;
  assert.ok(Array.from(v).every(Number.isFinite));
});

test("the baseline's own bursts are compared with the other days' largest (leave one day out)", () => {
  // dave: every day a few events an hour apart; on 09-10 a burst of 6 events, on 09-11 one of 4.
  const month: EncodableEvent[] = [];
  for (let d = 1; d <= 20; d++) for (const hhmm of ["09:00", "11:00", "14:00", "16:00"]) month.push(event("dave", at(`2026-09-${String(d).padStart(2, "0")}`, hhmm)));
  const burst = (day: string, size: number) => Array.from({ length: size }, (_, k) => event("dave", new Date(at(day, "15:00").getTime() + k * 30_000)));
  month.push(...burst("2026-09-10", 6), ...burst("2026-09-11", 4));
  month.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const fitted = profileFeatureSet.fit(month, context);
  const own = encodeEvents(month, profileFeatureSet, fitted, { baseline: true }).data;
  const burstOf = (when: Date, v: Float64Array, events: EncodableEvent[]) => v[events.findIndex((e) => e.occurredAt.getTime() === when.getTime()) * D + col("burst")]!;
  // The 6-burst's day (5 others) against the other days' largest (3 others): (5 − 3) / (3 + 1).
  assert.ok(Math.abs(burstOf(at("2026-09-10", "15:00"), own, month) - 2 / 4) < 1e-12);
  // The 4-burst's day against the largest elsewhere (5 others): not above it.
  assert.equal(burstOf(at("2026-09-11", "15:00"), own, month), 0);
  // A later day compares with the month's largest, 5 others.
  const later = (size: number) => encodeEvents(burst("2026-10-05", size), profileFeatureSet, fitted).data[col("burst")]!;
  assert.equal(later(6), 0);
  assert.ok(Math.abs(later(8) - 2 / 6) < 1e-12);
  assert.ok(Math.abs(later(11) - 5 / 6) < 1e-12, "linear: 11 events are 2.5 times as far above as 8");
  // The saved state keeps the day, so a reloaded baseline encodes its own month the same way.
  const reloaded = profileFeatureSet.load(JSON.parse(JSON.stringify(profileFeatureSet.save(fitted))), context);
  assert.deepEqual(Array.from(encodeEvents(month, profileFeatureSet, reloaded, { baseline: true }).data), Array.from(own));
});

test("explanations in words", () => {
  const e = event("alice", at("2026-10-08", "21:40"), { action: "login", appId: null, isLogin: true, ip: "203.0.113.144", ipParsed: "203.0.113.144" });
  const v = encodeEvents([e], profileFeatureSet, state).data;
  const words = profileFeatureSet.explain!(e, state, v, 0);
  assert.ok(words.includes("first login from 203.0.113.144 for this account (no one used it in 2026-09)"), words.join(" | "));
  assert.ok(words.some((w) => /^21:40 is 3(\.\d)? h after this account's usual last activity \(1\d:\d\d\)$/.test(w)), words.join(" | "));
  const bulk = event("alice", at("2026-10-08", "11:00"), { action: "Record bulk delete" });
  const bv = encodeEvents([bulk], profileFeatureSet, state).data;
  assert.ok(profileFeatureSet.explain!(bulk, state, bv, 0).includes("first `Record bulk delete` by anyone last month"));
  const ghost = event("mallory", at("2026-10-08", "11:00"));
  const gv = encodeEvents([ghost], profileFeatureSet, state).data;
  assert.ok(profileFeatureSet.explain!(ghost, state, gv, 0)[0]!.includes("mallory had no event in 2026-09"));
  const net = event("alice", at("2026-10-08", "11:00"), { ip: "45.134.1.2", ipParsed: "45.134.1.2" });
  const nv = encodeEvents([net], profileFeatureSet, state).data;
  assert.ok(profileFeatureSet.explain!(net, state, nv, 0).includes("first use of the network 45.134.1.0/24 by this account"));
});

test("the account's profile for the report: usual hours and known addresses", () => {
  const profile = profileFeatureSet.describeAccount!(event("alice", at("2026-10-08", "11:00")), state);
  assert.ok(profile);
  assert.deepEqual(profile.knownIps, ["203.0.113.10"]);
  assert.ok(profile.usualHours.includes(9) && profile.usualHours.includes(17) && !profile.usualHours.includes(3), profile.usualHours.join(","));
  assert.equal(profile.activeDays, 20);
  assert.equal(profileFeatureSet.describeAccount!(event("carol", at("2026-10-08", "11:00")), state), null, "no profile of its own");
  const night = profileFeatureSet.describeAccount!(event("bob", at("2026-10-08", "11:00")), state)!;
  assert.ok(night.usualHours.includes(23) && night.usualHours.includes(2) && !night.usualHours.includes(12), night.usualHours.join(","));
});

test("the saved state is compact JSON and encodes exactly as the fitted one", () => {
  const json = profileFeatureSet.save(state);
  const text = JSON.stringify(json);
  assert.ok(text.length < 2000, String(text.length));
  const loaded = profileFeatureSet.load(JSON.parse(text), context);
  const october = [event("alice", at("2026-10-05", "11:00")), event("alice", at("2026-10-05", "23:00"), { ip: "45.134.1.2", ipParsed: "45.134.1.2" }), event("bob", at("2026-10-05", "02:00")), event("mallory", at("2026-10-05", "12:00"))];
  assert.deepEqual(Array.from(encodeEvents(october, profileFeatureSet, loaded).data), Array.from(encodeEvents(october, profileFeatureSet, state).data));
  assert.match(profileFeatureSet.settingsKey!(config), /MIN_PROFILE_DAYS=5;MIN_PROFILE_EVENTS=10;TARGET_FPR=0.001/);
});

test("networks: /24 for IPv4, /48 for IPv6", () => {
  assert.equal(networkOf("203.0.113.144"), "203.0.113");
  assert.equal(networkOf("2001:db8:a1::1"), "2001:db8:a1");
  assert.equal(networkOf("2001:db8::1"), "2001:db8:0");
  assert.equal(networkOf("::ffff:203.0.113.9"), "203.0.113");
  assert.equal(networkOf("xx.xxx.xxx.xx"), "xx.xxx.xxx");
  assert.equal(networkOf("1.2.3"), "1.2");
  assert.equal(networkOf(""), "");
  assert.equal(carrierBlockOf("49.96.63.96"), "49.96");
  assert.equal(carrierBlockOf("2001:db8:a1:9d1d::df6"), "2001:db8");
  assert.equal(carrierBlockOf("::ffff:126.254.1.2"), "126.254");
  // The same parser as the classic vector's: upper case and leading zeros in IPv6, mapped IPv6 in hex.
  assert.equal(networkOf("2001:0DB8:00A1::1"), "2001:db8:a1");
  assert.equal(carrierBlockOf("::ffff:cb00:710a"), "203.0");
  // Dotted text that is no address keeps its text: a leading zero is not read as a number.
  assert.equal(networkOf("010.1.2.3"), "010.1.2");
});

test("a phone from a new address in a carrier block its account's phone used is not a new place", () => {
  // erin: office on a desktop every day; on four afternoons her phone, from 49.96.10.20.
  const month: EncodableEvent[] = [];
  for (let d = 1; d <= 20; d++) {
    const day = `2026-09-${String(d).padStart(2, "0")}`;
    for (const hhmm of ["09:00", "11:00", "14:00"]) month.push(event("erin", at(day, hhmm), { userAgent: DESKTOP }));
    if (d % 5 === 0) month.push(event("erin", at(day, "18:30"), { userAgent: IPHONE, ip: "49.96.10.20", ipParsed: "49.96.10.20" }));
  }
  const fitted = profileFeatureSet.fit(month, context);
  const flags = (extra: Partial<EncodableEvent>): [number, number] => {
    const v = encodeEvents([event("erin", at("2026-10-05", "18:30"), extra)], profileFeatureSet, fitted).data;
    return [v[col("address_new")]!, v[col("network_new")]!];
  };
  assert.deepEqual(flags({ userAgent: IPHONE, ip: "49.96.201.7", ipParsed: "49.96.201.7" }), [0, 0], "the phone, another address of its carrier");
  assert.deepEqual(flags({ isMobile: true, ip: "49.96.201.7", ipParsed: "49.96.201.7" }), [0, 0], "the flag as a stored month is loaded");
  // Parsed Auth0 agents name the phone too.
  assert.deepEqual(flags({ userAgent: "Mobile Safari 26.0.0 / iOS 26.0.0", ip: "49.96.201.7", ipParsed: "49.96.201.7" }), [0, 0]);
  const [address, network] = flags({ userAgent: DESKTOP, ip: "49.96.201.7", ipParsed: "49.96.201.7" });
  assert.ok(address > 0 && network > 0, "a desktop from that block is new");
  const [otherAddress] = flags({ userAgent: IPHONE, ip: "126.1.2.3", ipParsed: "126.1.2.3" });
  assert.ok(otherAddress > 0, "a phone from another carrier is new");
  const [loaded] = flags({ isMobile: false, userAgent: IPHONE, ip: "49.96.201.7", ipParsed: "49.96.201.7" });
  assert.ok(loaded > 0, "a loaded flag wins over the agent text");
  // Someone whose phone never showed up gets nothing from erin's carrier block.
  const frank = encodeEvents([event("frank", at("2026-10-05", "11:00"), { userAgent: IPHONE, ip: "49.96.201.7", ipParsed: "49.96.201.7" })], profileFeatureSet, state).data;
  assert.ok(frank[col("account_new")]! > 0);
  // The saved state keeps the blocks.
  const reloaded = profileFeatureSet.load(JSON.parse(JSON.stringify(profileFeatureSet.save(fitted))), context);
  const again = encodeEvents([event("erin", at("2026-10-05", "18:30"), { userAgent: IPHONE, ip: "49.96.201.7", ipParsed: "49.96.201.7" })], profileFeatureSet, reloaded).data;
  assert.equal(again[col("address_new")], 0);
});

test("encoded values are finite for odd input", () => {
  const odd = [event("", at("2026-10-05", "11:00"), { ip: "", ipParsed: null, appId: null, action: "" }), event("x", at("2026-10-05", "11:00"), { ip: "xx.xxx.xxx.xx", ipParsed: null })];
  // encode itself (encodeEvents would hide a NaN by writing 0), with an empty and a real baseline.
  for (const fitted of [profileFeatureSet.fit([], context), state]) {
    const v = profileFeatureSet.encode(odd, fitted);
    assert.equal(v.length, odd.length * D);
    assert.ok(Array.from(v).every(Number.isFinite), Array.from(v).join(","));
  }
});
