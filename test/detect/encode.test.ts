import { test } from "node:test";
import assert from "node:assert/strict";
import { crc32 as zlibCrc32 } from "node:zlib";
import { loadConfig } from "../../src/sources/config.ts";
import { KansaError } from "../../src/core/errors.ts";
import { unsignedCrc32 } from "../../src/encode/crc32.ts";
import { eventIpv4, ipv4ToUint, isUnparsableIp } from "../../src/core/ip-address.ts";
import { ZoneClock } from "../../src/encode/local-time.ts";
import { classicFeatureSet } from "../../src/encode/classic.ts";
import { getFeatureSet, featureSets } from "../../src/encode/registry.ts";
import { encodeEvents } from "../../src/encode/encode-events.ts";
import type { EncodableEvent, FeatureSet } from "../../src/encode/feature-set.ts";

test("CRC-32 is the unsigned zlib/IEEE value of the UTF-8 bytes", () => {
  assert.equal(unsignedCrc32("123456789"), 0xcbf43926);
  assert.equal(unsignedCrc32("The quick brown fox jumps over the lazy dog"), 0x414fa339);
  assert.equal(unsignedCrc32(""), 0);
  assert.equal(unsignedCrc32("a"), 0xe8b7be43); // a negative int32 from the crc-32 package
  for (const s of ["山田太郎", "export user", "Record file download", "😀 emoji", "nobody"]) {
    assert.equal(unsignedCrc32(s), zlibCrc32(Buffer.from(s, "utf8")), s);
    assert.ok(unsignedCrc32(s) >= 0 && unsignedCrc32(s) <= 0xffffffff);
  }
});

test("IPv4, IPv4-mapped IPv6, and everything else", () => {
  assert.equal(ipv4ToUint("203.0.113.10"), 203 * 2 ** 24 + 113 * 256 + 10);
  assert.equal(ipv4ToUint("255.255.255.255"), 4294967295);
  assert.equal(ipv4ToUint("0.0.0.0"), 0);
  assert.equal(ipv4ToUint(" 10.1.2.3 "), 10 * 2 ** 24 + 1 * 2 ** 16 + 2 * 256 + 3);
  assert.equal(ipv4ToUint("::ffff:203.0.113.10"), ipv4ToUint("203.0.113.10"));
  assert.equal(ipv4ToUint("::FFFF:cb00:710a"), ipv4ToUint("203.0.113.10"));
  assert.equal(ipv4ToUint("0:0:0:0:0:ffff:203.0.113.10"), ipv4ToUint("203.0.113.10"));
  for (const bad of ["xx.xxx.xxx.xx", "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "2001:db8::1", "::1", "::203.0.113.10", "", "abc", "1.2.3.4:80", "::ffff:999.1.1.1"]) {
    assert.equal(ipv4ToUint(bad), null, bad);
  }
  assert.equal(eventIpv4(null, "198.51.100.7"), ipv4ToUint("198.51.100.7"));
  assert.equal(isUnparsableIp(null, "xx.xxx.xxx.xx"), true);
  assert.equal(isUnparsableIp("2001:db8::1", "2001:db8::1"), true);
  assert.equal(isUnparsableIp(null, ""), false);
  assert.equal(isUnparsableIp("203.0.113.9", "203.0.113.9"), false);
});

test("HHMMSS in the report zone, across a DST change", () => {
  const tokyo = new ZoneClock("Asia/Tokyo");
  assert.equal(tokyo.hhmmss(Date.parse("2016-02-14T03:54:32Z")), 125432); // 12:54:32 JST
  assert.equal(tokyo.localDate(Date.parse("2026-11-21T15:00:00Z")), "2026-11-22");
  const ny = new ZoneClock("America/New_York");
  // 2026-03-08 07:30Z is 03:30 EDT (after the jump); 06:30Z is 01:30 EST.
  assert.equal(ny.hhmmss(Date.parse("2026-03-08T06:30:00Z")), 13000);
  assert.equal(ny.hhmmss(Date.parse("2026-03-08T07:30:00Z")), 33000);
  // 2026-11-01: 01:30 happens twice (05:30Z EDT and 06:30Z EST).
  assert.equal(ny.hhmmss(Date.parse("2026-11-01T05:30:00Z")), 13000);
  assert.equal(ny.hhmmss(Date.parse("2026-11-01T06:30:00Z")), 13000);
  assert.equal(ny.hhmmss(Date.parse("2026-11-01T06:59:59Z")), 15959);
  // Every reading across DST changes agrees with Intl's wall clock.
  const lordHowe = new ZoneClock("Australia/Lord_Howe"); // 30-minute DST shift
  const wallClock = (zone: string, t: number) => {
    const parts = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).formatToParts(new Date(t));
    const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    return get("hour") * 10000 + get("minute") * 100 + get("second");
  };
  for (const clock of [ny, lordHowe]) {
    for (let t = Date.parse("2026-10-03T00:00:00Z"); t < Date.parse("2026-11-03T00:00:00Z"); t += 7 * 60_000 + 13_000) {
      assert.equal(clock.hhmmss(t), wallClock(clock.zone, t));
    }
  }
  // Second by second across local midnight at +05:45, and times out of order.
  const kathmandu = new ZoneClock("Asia/Kathmandu");
  for (let t = Date.parse("2026-10-04T18:05:00Z"); t < Date.parse("2026-10-04T18:25:00Z"); t += 1000) assert.equal(kathmandu.hhmmss(t), wallClock(kathmandu.zone, t), new Date(t).toISOString());
  for (let k = 0; k < 2000; k++) {
    const t = Date.parse("2026-10-01T00:00:00Z") + ((k * 7_919_993) % (31 * 86_400_000)) + (k % 3) * 999;
    for (const clock of [ny, kathmandu]) assert.equal(clock.hhmmss(t), wallClock(clock.zone, t), `${clock.zone} ${new Date(t).toISOString()}`);
  }
  // Offsets that are not whole minutes: Monrovia's −00:44:30 until 1972, and Tokyo's local
  // mean time (+09:18:59) in 1880.
  for (const [zone, from] of [["Africa/Monrovia", "1960-06-02T00:40:00Z"], ["Asia/Tokyo", "1880-01-01T14:35:00Z"]] as const) {
    const clock = new ZoneClock(zone);
    for (let t = Date.parse(from); t < Date.parse(from) + 10 * 60_000; t += 1000) assert.equal(clock.hhmmss(t), wallClock(zone, t), `${zone} ${new Date(t).toISOString()}`);
  }
});

const baseEvent: EncodableEvent = {
  source: "kintone", tenant: "example.cybozu.com", occurredAt: new Date("2016-02-14T03:54:32Z"),
  account: "yamada", action: "export user", ip: "::ffff:203.0.113.10", ipParsed: null, appId: "12",
};

test("the classic vector: time, account, action, IPv4, app id", () => {
  const config = loadConfig({});
  const state = classicFeatureSet.fit([], { timezone: "Asia/Tokyo", source: "kintone", tenant: "t", month: "2016-01", config });
  assert.deepEqual([...classicFeatureSet.encode([baseEvent], state)], [125432, unsignedCrc32("yamada"), unsignedCrc32("export user"), ipv4ToUint("203.0.113.10"), 12]);
  const auth0 = { ...baseEvent, source: "auth0", appId: "AbCdEf123", ip: "2001:db8::1", ipParsed: "2001:db8::1" };
  const { data } = encodeEvents([auth0, { ...auth0, appId: null }, { ...baseEvent, appId: null, ip: "xx.xxx.xxx.xx" }, { ...baseEvent, appId: "12a" }], classicFeatureSet, state);
  assert.equal(data[3], 0); // IPv6 → 0
  assert.equal(data[4], unsignedCrc32("AbCdEf123"));
  assert.equal(data[9], 0); // null client_id → crc32("") = 0
  assert.equal(data[13], 0); // masked IP → 0
  assert.equal(data[14], 0); // absent app id → 0
  assert.equal(data[19], 0); // non-numeric app id → 0
  assert.deepEqual(classicFeatureSet.save(state), { timezone: "Asia/Tokyo" });
});

test("the registry finds classic and names the known sets for an unknown name", () => {
  assert.equal(getFeatureSet("classic"), classicFeatureSet);
  assert.ok(featureSets.some((s) => s.name === "classic"));
  assert.throws(() => getFeatureSet("nope"), (e: unknown) => e instanceof KansaError && /Unknown feature set "nope": choose one of .*classic/.test(e.message));
});

test("encodeEvents writes 0 for a NaN or ±Infinity a feature set emits, wherever it falls", () => {
  const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const n of [1, 2, 3, 5]) {
    for (let at = 0; at < n * 3; at++) {
      const set: FeatureSet<unknown> = {
        ...(classicFeatureSet as FeatureSet<unknown>), featureNames: ["a", "b", "c"],
        encode: (events) => Float64Array.from({ length: events.length * 3 }, (_, j) => (j === at ? bad[at % 3]! : -j - 0.5)),
      };
      const { data } = encodeEvents(Array.from({ length: n }, () => baseEvent), set, null);
      assert.deepEqual(Array.from(data), Array.from({ length: n * 3 }, (_, j) => (j === at ? 0 : -j - 0.5)), `${n} rows, bad value at ${at}`);
    }
  }
});
