import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { splitJsonValues, type JsonValueItem } from "../../src/sources/files/json-values.ts";
import { MAX_JSON_DEPTH as MAX_VALUE_DEPTH } from "../../src/core/limits.ts";

// Issue 21: whatever bytes a JSON, NDJSON or log-stream file holds, the splitter returns values
// and rejections and never throws; a good record after junk is still read, once.

async function split(bytes: Uint8Array, cuts: number[] = []): Promise<JsonValueItem[]> {
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
  for await (const item of splitJsonValues(chunks())) items.push(item);
  return items;
}

/** Bytes that look like JSON often enough to reach every state of the scanner. */
const jsonish = fc
  .array(fc.oneof(fc.constantFrom("{", "}", "[", "]", '"', "\\", ",", ":", "\n", " ", "1", "true", "\ufeff", "\\u", "é"), fc.string({ maxLength: 4 })), { maxLength: 200 })
  .map((parts) => new Uint8Array(Buffer.from(parts.join(""), "utf8")));
const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 2000 }), jsonish);
const cuts = fc.array(fc.nat(), { maxLength: 6 });

test("any bytes, cut into any chunks: items numbered 1..n, never a throw, never more items than bytes", async () => {
  await fc.assert(
    fc.asyncProperty(anyBytes, cuts, async (bytes, at) => {
      const items = await split(bytes, at);
      assert.ok(items.length <= bytes.length + 1);
      items.forEach((item, i) => {
        assert.equal(item.record, i + 1);
        assert.ok(item.line >= 1);
        if (!item.ok) assert.equal(typeof item.reason, "string");
      });
      // The same bytes in one chunk give the same items: chunk boundaries never change a result.
      assert.deepEqual(await split(bytes), items);
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
