import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { splitJsonValues, type JsonValueItem } from "../../src/sources/files/json-values.ts";
import { MAX_JSON_DEPTH as MAX_VALUE_DEPTH, MAX_JSON_RECORD_BYTES } from "../../src/core/limits.ts";

// Issue 21: whatever bytes a JSON, NDJSON or log-stream file holds, the splitter returns values
// and rejections and never throws; a good record after junk is still read, once.

async function split(bytes: Uint8Array, cuts: number[] = [], maxRecordBytes?: number): Promise<JsonValueItem[]> {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let from = 0;
    for (const p of points) {
      yield bytes.subarray(from, p);
      from = p;
    }
    yield bytes.subarray(from);
  }
  const items: JsonValueItem[] = [];
  for await (const item of splitJsonValues(chunks(), { maxRecordBytes })) items.push(item);
  return items;
}

/** Bytes that look like JSON often enough to reach every state of the scanner. */
const jsonish = fc
  .array(fc.oneof(fc.constantFrom("{", "}", "[", "]", '"', "\\", ",", ":", "\n", " ", "1", "true", "\ufeff", "\\u", "é"), fc.string({ maxLength: 4 })), { maxLength: 200 })
  .map((parts) => new Uint8Array(Buffer.from(parts.join(""), "utf8")));
const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 2000 }), jsonish);
const cuts = fc.array(fc.nat(), { maxLength: 6 });
/** Per-record bounds: the real one, and small ones that the fuzzed inputs pass. */
const bounds = fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 64 }));

test("any bytes, cut into any chunks: items numbered 1..n, never a throw, never more items than bytes", async () => {
  await fc.assert(
    fc.asyncProperty(anyBytes, cuts, bounds, async (bytes, at, bound) => {
      const items = await split(bytes, at, bound);
      assert.ok(items.length <= bytes.length + 1);
      items.forEach((item, i) => {
        assert.equal(item.record, i + 1);
        assert.ok(item.line >= 1);
        if (!item.ok) assert.equal(typeof item.reason, "string");
      });
      // The same bytes in one chunk give the same items: chunk boundaries never change a result.
      assert.deepEqual(await split(bytes, [], bound), items);
    }),
    { numRuns: 400 },
  );
});

test("a good record after a line of scalar junk is read exactly once", async () => {
  const record = { date: "2026-11-01T08:00:00.000Z", type: "s", log_id: "fuzz-1", user_name: "a" };
  // Junk without an opening bracket or quote: it cannot swallow the next line.
  const junk = fc.uint8Array({ maxLength: 300 }).map((b) => b.filter((x) => x !== 0x7b && x !== 0x5b && x !== 0x22 && x !== 0x0a));
  await fc.assert(
    fc.asyncProperty(junk, cuts, async (garbage, at) => {
      const bytes = Buffer.concat([Buffer.from(garbage), Buffer.from(`\n${JSON.stringify(record)}\n`)]);
      const items = await split(bytes, at);
      const found = items.filter((i) => i.ok && JSON.stringify(i.value) === JSON.stringify(record));
      assert.equal(found.length, 1, JSON.stringify(items).slice(0, 300));
    }),
    { numRuns: 400 },
  );
});

test("nesting past the bound is one rejection, before JSON.parse; the bound itself is accepted", async () => {
  const at = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
  const text = `{"a":1}\n{"d":${at(100_000)}}\n${at(MAX_VALUE_DEPTH)}\n{"b":2}\n`;
  const items = await split(new Uint8Array(Buffer.from(text)));
  assert.deepEqual(items.map((i) => [i.ok, i.record, i.line]), [[true, 1, 1], [false, 2, 2], [true, 3, 3], [true, 4, 4]]);
  assert.equal((items[1] as { reason: string }).reason, `nested deeper than ${MAX_VALUE_DEPTH} levels (the bound for one record)`);
});

const event = (id: string) => ({ date: "2026-11-01T08:00:00.000Z", type: "s", log_id: id, user_name: "a", details: { prompts: [{ name: "login" }] } });

test("a valid record after any garbage (unclosed {, [ or \", junk, a broken bound) and a line break is read exactly once", async () => {
  // Garbage that ends inside a string, an open object or array, an escape, a bare word, a
  // value past the bound...; then the record on its own line, then more garbage.
  const opener = fc.constantFrom("", "{", "[", '"', '{"a', '{"a":"\\', "[[[[", '{"a":[{"b":', "x", "[\n  {", '"\\u12');
  const garbage = fc.tuple(fc.oneof(fc.uint8Array({ maxLength: 300 }), jsonish), opener).map(([g, o]) => Buffer.concat([Buffer.from(g), Buffer.from(o)]));
  await fc.assert(
    fc.asyncProperty(garbage, jsonish, cuts, bounds, fc.boolean(), async (before, after, at, bound, crlf) => {
      const record = event("fuzz-after-garbage");
      const text = JSON.stringify(record);
      const bytes = Buffer.concat([before, Buffer.from(crlf ? "\r\n" : "\n"), Buffer.from(`${text}\n`), after]);
      // A record longer than a tiny bound is rightly rejected: only bounds that hold it count here.
      const items = await split(bytes, at, bound !== undefined && bound < text.length ? text.length : bound);
      const found = items.filter((i) => i.ok && JSON.stringify(i.value) === text);
      assert.equal(found.length, 1, JSON.stringify(items).slice(0, 400));
    }),
    { numRuns: 600 },
  );
});

test("pretty-printed arrays and streams read as before; a broken element or record costs only itself", async () => {
  const records = [event("p1"), { ...event("p2"), details: { list: [{ a: 1 }, { b: [{ c: 2 }] }] } }, event("p3")];
  for (const indent of [0, 1, 2, 4, "\t"]) {
    const array = JSON.stringify(records, null, indent);
    const stream = records.map((r) => JSON.stringify(r, null, indent)).join("\n");
    for (const text of [array, stream]) {
      const items = await split(Buffer.from(text), [5, 77, 300]);
      assert.deepEqual(items.map((i) => (i.ok ? i.value : i.reason)), records);
    }
    if (indent === 0) continue;
    // The middle one cut short: the first and last are still read.
    const cut = (s: string) => s.slice(0, s.indexOf('"list"') + 20);
    const elements = records.map((r) => JSON.stringify(r, null, indent));
    const pad = typeof indent === "number" ? " ".repeat(indent) : indent;
    const brokenArray = `[\n${elements.map((e, i) => (i === 1 ? cut(e) : e).replace(/^/gm, pad)).join(",\n")}\n]`;
    const brokenStream = elements.map((e, i) => (i === 1 ? cut(e) : e)).join("\n");
    for (const text of [brokenArray, brokenStream]) {
      const items = await split(Buffer.from(text));
      assert.deepEqual(items.map((i) => i.ok), [true, false, true], `${JSON.stringify(indent)}: ${JSON.stringify(items)}`);
      assert.deepEqual([items[0]!.ok && items[0]!.value, items[2]!.ok && items[2]!.value], [records[0], records[2]]);
      assert.match((items[1] as { reason: string }).reason, /not closed (before|on) line \d+/);
    }
  }
});

test("each way a value breaks is one rejection with its line and reason; the next record is read", async () => {
  const good = JSON.stringify(event("g"));
  const cases: [string, RegExp][] = [
    [`{"a":"no closing quote\n`, /^a string not closed on line 2 \(a JSON string cannot hold a line break\); reading resumed at line 3$/],
    [`{"a":"raw\nline break","b":1}\n`, /^a string not closed on line 2 .*; reading resumed at line 4$/],
    [`{"a":{"b":[1,2\n`, /^an object or array not closed before line 3, where a line starts a new record/],
    [`undefined\nNaN\n-\n`, /^not valid JSON \("undefined" is not a value\); and the bare words after it up to line 4$/],
    [`{"big":"${"x".repeat(300)}"}\n`, /^longer than 150 bytes \(the bound for one record\); reading resumed at line 3$/],
  ];
  for (const [broken, reason] of cases) {
    const items = await split(Buffer.from(`${good}\n${broken}${good}\n`), [3, 50], 150);
    assert.deepEqual(items.map((i) => [i.ok, i.record, i.line]), [[true, 1, 1], [false, 2, 2], [true, 3, items[2]!.line]], JSON.stringify(items));
    assert.match((items[1] as { reason: string }).reason, reason);
  }
  // Past the bound with no later record line: one rejection, and the file ends there.
  const tail = await split(Buffer.from(`${good}\n[${good},{"big":"${"x".repeat(300)}"},${good}]`), [], 150);
  assert.deepEqual(tail.map((i) => i.ok), [true, false]);
  assert.match((tail[1] as { reason: string }).reason, /no later line starts a record/);
  // The bound itself is accepted, one byte more is not.
  const exact = `{"s":"${"y".repeat(100 - 8)}"}`;
  assert.equal(exact.length, 100);
  const longer = `{"s":"${"y".repeat(100 - 7)}"}`;
  assert.deepEqual((await split(Buffer.from(`${exact}\n${longer}\n`), [], 100)).map((i) => i.ok), [true, false]);
  assert.deepEqual((await split(Buffer.from(`${exact}\n`), [], 99)).map((i) => i.ok), [false]);
});

test("tens of MB of hostile input: memory stays within the bound plus a chunk or two, one rejection per broken record", async () => {
  const MiB = 1024 * 1024;
  let base = 0;
  let peak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.arrayBuffers - base);
  };
  /** `prefix`, then `total` bytes of `unit` repeated, in 1 MiB chunks made fresh (as a file stream gives them). */
  async function* repeated(prefix: string, unit: string, total: number): AsyncGenerator<Buffer> {
    yield Buffer.from(prefix);
    const one = Buffer.from(unit);
    const per = Math.floor(MiB / one.length);
    for (let units = Math.ceil(total / one.length); units > 0; units -= per) {
      sample();
      yield Buffer.concat(Array<Buffer>(Math.min(per, units)).fill(one));
    }
  }
  const measure = async (prefix: string, unit: string, total: number) => {
    const start = process.memoryUsage();
    base = start.heapUsed + start.arrayBuffers;
    peak = 0;
    let items = 0;
    let rejected = 0;
    const began = performance.now();
    for await (const item of splitJsonValues(repeated(prefix, unit, total))) {
      items += 1;
      if (!item.ok) rejected += 1;
      if ((items & 0xffff) === 0) sample();
    }
    sample();
    const r = { unit, items, rejected, peakMiB: Math.round(peak / MiB), seconds: (performance.now() - began) / 1000 };
    if (process.env.KANSA_TEST_VERBOSE) console.error(JSON.stringify(r));
    return r;
  };
  // One record bound, a chunk, and room for the collector's lag; the old reader needed 128 MiB.
  const bound = MAX_JSON_RECORD_BYTES + 28 * MiB;
  // Without line breaks (an open object, array, string), past the old 64 MiB bound: one value
  // past the bound, the rest skipped. The old reader held 64 MiB of it, then a copy.
  for (const [prefix, unit] of [["", '{"a'], ["", "[[[["], ['"', "xyz\\\\"]] as const) {
    const r = await measure(prefix, unit, 66 * MiB);
    assert.deepEqual([r.items, r.rejected], [1, 1], unit);
    assert.ok(peak < bound, `${unit}: ${r.peakMiB} MiB over the start`);
  }
  // With line breaks: a broken string or a junk word runs on to the next record line (one
  // rejection for all); a line starting with { breaks the one before it (one rejection a line).
  // Hundreds of thousands of rejections leave garbage behind them: the bound here is 64 MiB.
  for (const [unit, total, rejections] of [['"\n', 8, 1], ["x\n", 8, 1], ["[[[[\n", 8, 1], ['{"a\n', 1, 256 * 1024], ["{\n", 0.5, 256 * 1024]] as const) {
    const r = await measure("", unit, total * MiB);
    assert.equal(r.rejected, rejections, unit);
    assert.ok(peak < 64 * MiB, `${unit}: ${r.peakMiB} MiB over the start`);
  }
});
