/**
 * Issue 25: a baseline month fitted in chunks (fit-month.ts) gets the baseline fitting it whole
 * gets: the same feature-set state, the same moments and detector to 1e-9, the same distances
 * and threshold. The month here is the profile's reference month (bursts and failed logins across
 * chunk edges, machine credentials, masked addresses) cut into chunks of 53 events, about 35 of
 * them, and read in pages of another size; plus the pieces: the chunks' neighbours, the merged
 * moments on CRC-sized values, the spill file.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { loadConfig } from "../../src/sources/config.ts";
import { fitBaseline } from "../../src/detect/model.ts";
import { computeMoments, MomentsAccumulator } from "../../src/detect/moments.ts";
import { scoreVectors } from "../../src/detect/score.ts";
import { fitMonth } from "../../src/detect/fit-month.ts";
import { monthChunks } from "../../src/detect/month-chunks.ts";
import { SpilledRows, ROWS_PER_BLOCK } from "../../src/detect/encoded-rows.ts";
import { encodeEvents } from "../../src/encode/encode-events.ts";
import type { EncodableEvent, FeatureSet } from "../../src/encode/feature-set.ts";
import { featureSets } from "../../src/encode/registry.ts";
import { neighbourCounts } from "../../src/encode/profile-window.ts";
import { referenceBaseline } from "../profile/reference-month.ts";
import { random } from "../report/fixtures.ts";

const config = loadConfig({ LOG_LEVEL: "silent", REPORT_TIMEZONE: "Asia/Tokyo" });
const context = { timezone: "Asia/Tokyo", source: "kintone", tenant: "ref", month: "2026-09", config };

/** The events as pages of `size` (the store's pages need not match the chunks). */
function pagesOf(events: readonly EncodableEvent[], size: number): () => AsyncIterable<readonly EncodableEvent[]> {
  return async function* () {
    for (let i = 0; i < events.length; i += size) yield events.slice(i, i + size);
  };
}

function closeTo(actual: number, expected: number, relative: number, what: string): void {
  const scale = Math.max(Math.abs(expected), 1e-300);
  assert.ok(Math.abs(actual - expected) <= relative * Math.max(scale, 1e-12), `${what}: ${actual} vs ${expected}`);
}

for (const set of featureSets as FeatureSet<unknown>[]) {
  test(`${set.name}: a month fitted in ~35 chunks equals the month fitted whole`, async () => {
    const month = referenceBaseline();
    assert.ok(month.length > 30 * 53, `the month is much larger than one chunk (${month.length} events)`);
    // Whole: the in-memory path (the evaluation's and the reference's).
    const state = set.fit(month, context);
    const encoded = encodeEvents(month, set, state, { baseline: true });
    const whole = fitBaseline(encoded.data, encoded.n, set.featureNames, set.modelOptions ?? {});
    const wholeDistances = scoreVectors(whole.model, encoded.data, encoded.n).sort();

    const chunked = await fitMonth(set, context, pagesOf(month, 31), { chunkRows: 53 });
    assert.equal(chunked.n, month.length);
    assert.deepEqual(set.save(chunked.state), set.save(state), "the same state, exactly");
    const d = set.featureNames.length;
    for (let j = 0; j < d; j++) closeTo(chunked.moments.mean[j]!, whole.moments.mean[j]!, 1e-9, `mean ${set.featureNames[j]}`);
    for (let a = 0; a < d; a++) {
      const scale = Math.sqrt(Math.abs(whole.moments.covariance[a * d + a]! * whole.moments.covariance[a * d + a]!)) || 1;
      for (let b = 0; b < d; b++) {
        const got = chunked.moments.covariance[a * d + b]!;
        const want = whole.moments.covariance[a * d + b]!;
        const bound = 1e-9 * Math.max(Math.sqrt(Math.abs(whole.moments.covariance[a * d + a]! * whole.moments.covariance[b * d + b]!)), 1e-300);
        assert.ok(Math.abs(got - want) <= bound || (scale === 0 && got === want), `covariance ${set.featureNames[a]}×${set.featureNames[b]}: ${got} vs ${want}`);
      }
    }
    assert.deepEqual(chunked.model.droppedFeatures, whole.model.droppedFeatures);
    assert.equal(chunked.model.method, whole.model.method);
    assert.equal(chunked.distances.length, wholeDistances.length);
    for (let i = 0; i < wholeDistances.length; i++) closeTo(chunked.distances[i]!, wholeDistances[i]!, 1e-9, `distance ${i}`);
    closeTo(set.defaultThreshold(chunked.distances, config), set.defaultThreshold(wholeDistances, config), 1e-9, "threshold");
    const hourly = new Array<number>(24).fill(0);
    for (const e of month) hourly[(e.occurredAt.getUTCHours() + 9) % 24]! += 1;
    assert.deepEqual(chunked.hourly, hourly);
  });
}

test("each chunk's own events appear once, in order, with every neighbour within the margin", async () => {
  const month = referenceBaseline();
  const margin = 10 * 60_000;
  const seen: EncodableEvent[] = [];
  const whole = neighbourCounts(month);
  let chunks = 0;
  for await (const chunk of monthChunks(pagesOf(month, 50)(), margin, 53)) {
    chunks++;
    const own = chunk.events.slice(chunk.from, chunk.to);
    seen.push(...own);
    const first = own[0]!.occurredAt.getTime();
    const last = own[own.length - 1]!.occurredAt.getTime();
    // Every event of the month within the margin of the chunk's own events is in the chunk.
    const expected = month.filter((e) => e.occurredAt.getTime() >= first - margin && e.occurredAt.getTime() <= last + margin).length;
    assert.ok(chunk.events.length >= expected, `chunk ${chunks}: ${chunk.events.length} events, ${expected} within reach`);
    const local = neighbourCounts(chunk.events);
    const offset = month.indexOf(own[0]!);
    for (let i = chunk.from; i < chunk.to; i++) {
      assert.equal(local.burst[i], whole.burst[offset + i - chunk.from], `burst of event ${offset + i - chunk.from}`);
      assert.equal(local.failuresBefore[i], whole.failuresBefore[offset + i - chunk.from]);
    }
  }
  assert.ok(chunks > 30);
  assert.equal(seen.length, month.length);
  seen.forEach((e, i) => assert.equal(e, month[i], `event ${i} in its place`));
});

test("moments merged over uneven chunks equal the two-pass moments, on values near 4e9", () => {
  const rnd = random(5);
  const n = 5003;
  const d = 4;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    data[i * d] = 4_000_000_000 + Math.floor(rnd() * 1000);
    data[i * d + 1] = Math.floor(rnd() * 4_294_967_295);
    data[i * d + 2] = 7; // constant: its variance must stay exactly 0
    data[i * d + 3] = rnd();
  }
  const whole = computeMoments(data, n, d);
  const sums = new MomentsAccumulator(d);
  for (let i = 0, size = 1; i < n; i += size, size = (size * 7) % 997 + 1) {
    const rows = Math.min(size, n - i);
    sums.add(data.subarray(i * d, (i + rows) * d), rows);
  }
  const merged = sums.moments();
  assert.equal(merged.n, n);
  assert.equal(merged.mean[2], 7);
  assert.equal(merged.covariance[2 * d + 2], 0);
  for (let j = 0; j < d; j++) closeTo(merged.mean[j]!, whole.mean[j]!, 1e-15, `mean ${j}`);
  for (const j of [0, 1, 3]) closeTo(merged.covariance[j * d + j]!, whole.covariance[j * d + j]!, 1e-9, `variance ${j}`);
  // Off the diagonal, to 1e-9 of the correlation's scale (what the detector divides by).
  const scale = Math.sqrt(whole.covariance[0]! * whole.covariance[d + 1]!);
  assert.ok(Math.abs(merged.covariance[1]! - whole.covariance[1]!) <= 1e-9 * scale, `covariance 0×1: ${merged.covariance[1]} vs ${whole.covariance[1]}`);
});

test("spilled rows read back in blocks as written, and the file is removed", () => {
  const d = 3;
  const rows = new SpilledRows(d);
  const n = ROWS_PER_BLOCK * 2 + 17;
  const chunk = new Float64Array(1000 * d);
  let written = 0;
  while (written < n) {
    const count = Math.min(1000, n - written);
    for (let i = 0; i < count * d; i++) chunk[i] = (written * d + i) * 0.5;
    rows.append(chunk, count);
    written += count;
  }
  assert.equal(rows.n, n);
  let next = 0;
  let blocks = 0;
  rows.forEachBlock((data, count, first) => {
    blocks++;
    assert.equal(first, next);
    for (let i = 0; i < count * d; i++) assert.equal(data[i], (first * d + i) * 0.5);
    next += count;
  });
  assert.equal(next, n);
  assert.equal(blocks, 3);
  const folder = dirname((rows as unknown as { folder: string }).folder + "/x");
  rows.close();
  assert.equal(existsSync(folder), false);
});

test("a temporary folder that cannot be written is one sentence naming it and TMPDIR", () => {
  assert.throws(() => new SpilledRows(3, "/proc/no-such-folder"), (error: Error) => {
    assert.match(error.message, /temporary file in \/proc\/no-such-folder, which could not be created: .*Set TMPDIR to a writable folder\./);
    assert.equal((error as { code?: string }).code, "E_CONFIG");
    return true;
  });
});
