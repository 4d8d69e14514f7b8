import { test } from "node:test";
import assert from "node:assert/strict";
import { fromEpochNumber, parseTimestamp, parseTimeString } from "../../src/normalize/timestamps.ts";

const at = (d: Date | null) => d?.toISOString() ?? null;
const T = "2026-09-21T14:13:20.000Z"; // 1790000000 s

test("Unix numbers in seconds, milliseconds, microseconds and nanoseconds are told apart by magnitude", () => {
  assert.equal(at(fromEpochNumber(1790000000)), T);
  assert.equal(at(fromEpochNumber(1790000000.5)), "2026-09-21T14:13:20.500Z");
  assert.equal(at(fromEpochNumber(1790000000123)), "2026-09-21T14:13:20.123Z");
  assert.equal(at(fromEpochNumber(1790000000123456)), "2026-09-21T14:13:20.123Z");
  assert.equal(at(fromEpochNumber(1.790000000123456e18)), "2026-09-21T14:13:20.123Z");
});

test("digit strings and bigints, including nanoseconds beyond 2^53, keep millisecond precision", () => {
  assert.equal(at(parseTimestamp("1790000000", "UTC")), T);
  assert.equal(at(parseTimestamp("1790000000123", "UTC")), "2026-09-21T14:13:20.123Z");
  assert.equal(at(parseTimestamp("1790000000123456789", "UTC")), "2026-09-21T14:13:20.123Z");
  assert.equal(at(parseTimestamp(1790000000123456789n, "UTC")), "2026-09-21T14:13:20.123Z");
});

test("ISO 8601 with a zone is that instant; without a zone it is wall-clock time in the given zone", () => {
  assert.equal(at(parseTimestamp("2026-10-01T09:00:00.250Z", "Asia/Tokyo")), "2026-10-01T09:00:00.250Z");
  assert.equal(at(parseTimestamp("2026-10-01T18:00:00+09:00", "UTC")), "2026-10-01T09:00:00.000Z");
  assert.equal(at(parseTimestamp("2026-10-01T18:00:00+0900", "UTC")), "2026-10-01T09:00:00.000Z");
  assert.equal(at(parseTimestamp("2026-10-01T04:00:00-05:00", "UTC")), "2026-10-01T09:00:00.000Z");
  assert.equal(at(parseTimestamp("2026-10-01T09:00:00", "UTC")), "2026-10-01T09:00:00.000Z");
  assert.equal(at(parseTimestamp("2026-10-01T09:00:00", "Asia/Tokyo")), "2026-10-01T00:00:00.000Z");
  assert.equal(at(parseTimestamp("2026-10-01 09:00:00.123456789", "UTC")), "2026-10-01T09:00:00.123Z");
});

test("console times (slashes, Japanese) are read in the console's zone, DST included", () => {
  assert.equal(at(parseTimeString("2026/10/01 18:30:05", "Asia/Tokyo")), "2026-10-01T09:30:05.000Z");
  assert.equal(at(parseTimeString("2026年10月1日 18:30:05", "Asia/Tokyo")), "2026-10-01T09:30:05.000Z");
  assert.equal(at(parseTimeString("2026/7/1 12:00:00", "America/New_York")), "2026-07-01T16:00:00.000Z"); // EDT
  assert.equal(at(parseTimeString("2026/1/1 12:00:00", "America/New_York")), "2026-01-01T17:00:00.000Z"); // EST
  assert.equal(at(parseTimeString("2026/10/01 18:30", "UTC")), "2026-10-01T18:30:00.000Z");
});

test("wrapper objects: $date, $numberLong, seconds+nanos, Firestore", () => {
  assert.equal(at(parseTimestamp({ $date: "2026-10-01T01:00:00.000Z" }, "UTC")), "2026-10-01T01:00:00.000Z");
  assert.equal(at(parseTimestamp({ $date: { $numberLong: "1790000000123" } }, "UTC")), "2026-09-21T14:13:20.123Z");
  assert.equal(at(parseTimestamp({ seconds: 1790000000, nanos: 500_000_000 }, "UTC")), "2026-09-21T14:13:20.500Z");
  assert.equal(at(parseTimestamp({ _seconds: 1790000000, _nanoseconds: 0 }, "UTC")), T);
  assert.equal(at(parseTimestamp(new Date(T), "UTC")), T);
});

test("RFC 2822 and HTTP dates", () => {
  assert.equal(at(parseTimestamp("Thu, 01 Oct 2026 09:00:00 GMT", "UTC")), "2026-10-01T09:00:00.000Z");
  assert.equal(at(parseTimestamp("Thu, 01 Oct 2026 18:00:00 +0900", "UTC")), "2026-10-01T09:00:00.000Z");
});

test("values that hold no plausible time are null, never a throw", () => {
  for (const value of [null, undefined, "", "   ", "yesterday", "2026-02-31 10:00:00", "2026/13/01 00:00:00", "2026/10/01 25:00:00",
    0, -1, Number.NaN, Number.POSITIVE_INFINITY, [], {}, { foo: 1 }, true, "12:00:00", { $date: "nope" }]) {
    assert.equal(parseTimestamp(value, "UTC"), null, `expected null for ${JSON.stringify(value)}`);
  }
});
