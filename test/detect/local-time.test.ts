/**
 * ZoneClock's offsets, cached by UTC quarter hour (issue 25), against luxon's at every instant
 * asked: across daylight-saving changes (New York, Dublin, Lord Howe's half-hour shift, St
 * John's), zones with 45-minute offsets (Kathmandu, Chatham), and Tokyo's change from local mean
 * time (+09:18:59) in 1887, whose instant is not on a quarter hour. The same clock answers
 * every instant, so later answers come from its cache.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import { ZoneClock } from "../../src/encode/local-time.ts";
import { random } from "../report/fixtures.ts";

const ZONES = ["Asia/Tokyo", "America/New_York", "Europe/Dublin", "Australia/Lord_Howe", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham", "UTC"];

test("cached offsets equal luxon's around every change of 2026 and at odd historical instants", () => {
  const rnd = random(3);
  for (const zone of ZONES) {
    const clock = new ZoneClock(zone);
    const instants: number[] = [];
    // Every 7 minutes 13 seconds of 2026, plus random milliseconds, twice (the second pass is served by the cache).
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 433_000) instants.push(t, t + Math.floor(rnd() * 433_000));
    // Tokyo's change from local mean time: 1887-12-31T14:41:01Z, one second either side.
    instants.push(Date.UTC(1887, 11, 31, 14, 41, 0), Date.UTC(1887, 11, 31, 14, 41, 1), Date.UTC(1887, 11, 31, 14, 41, 2), Date.UTC(1887, 11, 31, 14, 30, 0));
    for (const pass of [1, 2]) {
      for (const ms of instants) {
        const expected = DateTime.fromMillis(ms, { zone }).offset;
        assert.ok(Math.abs(clock.offsetMinutes(ms) - expected) < 1e-9, `${zone} pass ${pass} at ${new Date(ms).toISOString()}: ${clock.offsetMinutes(ms)} vs ${expected}`);
      }
    }
    const local = DateTime.fromMillis(instants[1000]!, { zone });
    assert.equal(clock.localDate(instants[1000]!), local.toFormat("yyyy-MM-dd"));
    assert.equal(clock.hour(instants[1000]!), local.hour);
  }
});
