// Issue 21: any bytes given to the console CSV reader give rows and rejections, never a throw
// (besides the one InputError for a missing or foreign header), never more than the bounds, and
// a valid record after arbitrary garbage is still read, once.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { readConsoleCsv } from "../../src/sources/kintone/console-csv/index.ts";
import { CsvRecordReader } from "../../src/sources/kintone/console-csv/csv-records.ts";
import { InputError } from "../../src/core/errors.ts";

const HEADER = "Date,Level,Service,User,IP Address,User Agent,Module,Action,Result,Error Code,Complement\n";
const GOOD = "2026/10/01 10:00:00,Information,Common,fuzz-marker,203.0.113.10,Mozilla/5.0,Authentication,Login,SUCCESS,,\n";

/** Bytes biased towards what CSV parsing cares about: quotes, commas, line breaks, high bytes. */
const csvBytes = fc.array(
  fc.oneof(
    fc.constantFrom(0x22, 0x2c, 0x0a, 0x0d, 0x78, 0x00),
    fc.integer({ min: 0, max: 255 }),
  ),
  { maxLength: 400 },
);

async function readAll(bytes: Uint8Array, chunk: number) {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  let rows = 0;
  let rejections = 0;
  let markers = 0;
  for await (const batch of readConsoleCsv((async function* () { yield* chunks; })(), { origin: "fuzz.csv", batchSize: 7 })) {
    rows += batch.rows.length;
    rejections += batch.rejections.length;
    for (const r of batch.rows) if (r.cells.User === "fuzz-marker") markers += 1;
    assert.ok(batch.rows.length <= 7);
  }
  return { rows, rejections, markers };
}

test("any bytes after a header give rows and rejections, never a throw", async () => {
  await fc.assert(
    fc.asyncProperty(csvBytes, fc.integer({ min: 1, max: 64 }), async (garbage, chunk) => {
      const bytes = Buffer.concat([Buffer.from(HEADER), Buffer.from(garbage)]);
      await readAll(bytes, chunk);
    }),
    { numRuns: 300 },
  );
});

test("any bytes at all: rows and rejections, or the one InputError for a header", async () => {
  await fc.assert(
    fc.asyncProperty(csvBytes, async (garbage) => {
      try {
        await readAll(Buffer.from(garbage), 16);
      } catch (error) {
        assert.ok(error instanceof InputError, String(error));
      }
    }),
    { numRuns: 300 },
  );
});

test("a valid record after garbage that ends its own record is read once", async () => {
  // Garbage without quotes cannot hold the next line in a cell, so the record after it (on a
  // line of its own) must be read exactly once; with quotes, at most once and never forged twice.
  const unquoted = fc.array(fc.integer({ min: 0, max: 255 }).filter((b) => b !== 0x22), { maxLength: 300 });
  await fc.assert(
    fc.asyncProperty(unquoted, fc.integer({ min: 1, max: 64 }), async (garbage, chunk) => {
      const bytes = Buffer.concat([Buffer.from(HEADER), Buffer.from(garbage), Buffer.from("\n" + GOOD)]);
      const { markers } = await readAll(bytes, chunk);
      assert.equal(markers, 1);
    }),
    { numRuns: 300 },
  );
  await fc.assert(
    fc.asyncProperty(csvBytes, async (garbage) => {
      const bytes = Buffer.concat([Buffer.from(HEADER), Buffer.from(garbage), Buffer.from("\n" + GOOD)]);
      const { markers } = await readAll(bytes, 32);
      assert.ok(markers <= 1);
    }),
    { numRuns: 300 },
  );
});

test("the record reader keeps at most the bound plus a chunk, whatever it is fed", () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: fc.constantFrom('"', ",", "\n", "\r", "a"), maxLength: 50 }), { maxLength: 60 }), (pieces) => {
      const reader = new CsvRecordReader({ maxRecordChars: 40 });
      let records = 0;
      for (const piece of pieces) {
        records += reader.push(piece).records.length;
        assert.ok((reader as unknown as { buffer: string }).buffer.length <= 40 + 50);
      }
      records += reader.end().records.length;
      assert.ok(records >= 0);
    }),
    { numRuns: 500 },
  );
});
