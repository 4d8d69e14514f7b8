import { test } from "node:test";
import assert from "node:assert/strict";
import { computeMoments } from "../../src/detect/moments.ts";
import { fitModel } from "../../src/detect/model.ts";
import { contributions, distanceOf, scoreVectors } from "../../src/detect/score.ts";
import { calibrate, percentile } from "../../src/detect/calibrate.ts";

const rows = (list: number[][]) => Float64Array.from(list.flat());

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/*
 * Hand computation (3 dimensions). Baseline points (0,0,0), (2,0,0), (0,2,0), (0,0,2):
 *   mean μ = (0.5, 0.5, 0.5); deviations (−.5,−.5,−.5), (1.5,−.5,−.5), (−.5,1.5,−.5), (−.5,−.5,1.5).
 *   Σ_jj = (0.25 + 2.25 + 0.25 + 0.25) / 3 = 1;  Σ_jk = (0.25 − 0.75 − 0.75 + 0.25) / 3 = −1/3.
 *   So Σ = (4/3) I − (1/3) J (J = all ones). Std = 1, so standardising changes nothing.
 *   (αI + βJ)⁻¹ = (1/α)(I − β/(α + 3β) J) with α = 4/3, β = −1/3, α + 3β = 1/3: Σ⁻¹ = (3/4)(I + J).
 *   x = (2,2,2): δ = (1.5,1.5,1.5), (I + J)δ = (6,6,6), δᵀ(I + J)δ = 27, × 3/4 = 20.25 → distance 4.5.
 *   x = (0,0,0): δ = −(.5,.5,.5), (I + J)δ = −(2,2,2), product 3, × 3/4 = 2.25 → 1.5.
 *   x = (1,1,0): δ = (.5,.5,−.5), (I + J)δ = (1,1,0), product 1, × 3/4 = 0.75 → √0.75;
 *     contributions δ_j (Σ⁻¹δ)_j = (.375, .375, 0) of 0.75 → shares (0.5, 0.5, 0).
 *   x = (2,0,0): δ = (1.5,−.5,−.5), (I + J)δ = (2,0,0), product 3 → 2.25 → 1.5; share 1 on feature a.
 * The same holds after any per-column affine change (standardised distances are invariant), so the
 * third column is also checked as 4e9 + 1000·v.
 */
test("a 3-dimensional example matches the hand computation", () => {
  const base = [[0, 0, 0], [2, 0, 0], [0, 2, 0], [0, 0, 2]];
  for (const shift of [(v: number) => v, (v: number) => 4e9 + 1000 * v]) {
    const data = rows(base.map(([a, b, c]) => [a!, b!, shift(c!)]));
    const model = fitModel(data, 4, ["a", "b", "c"]);
    assert.equal(model.method, "cholesky");
    assert.deepEqual(model.droppedFeatures, []);
    const probe = (x: number[]) => distanceOf(model, rows([[x[0]!, x[1]!, shift(x[2]!)]]));
    assert.ok(Math.abs(probe([2, 2, 2]) - 4.5) < 1e-12);
    assert.ok(Math.abs(probe([0, 0, 0]) - 1.5) < 1e-12);
    assert.ok(Math.abs(probe([1, 1, 0]) - Math.sqrt(0.75)) < 1e-12);
    const shares = contributions(model, rows([[1, 1, shift(0)]]));
    const byName = Object.fromEntries(shares.map((s) => [s.feature, s.share]));
    assert.ok(Math.abs(byName.a! - 0.5) < 1e-9 && Math.abs(byName.b! - 0.5) < 1e-9 && Math.abs(byName.c!) < 1e-9);
    const single = contributions(model, rows([[2, 0, shift(0)]]));
    assert.equal(single[0]!.feature, "a");
    assert.ok(Math.abs(single[0]!.share - 1) < 1e-9);
  }
});

/** Independent reference: plain arrays, standardise, sample covariance, Gauss–Jordan inverse. */
function referenceDistances(data: number[][], probes: number[][]): number[] {
  const n = data.length;
  const d = data[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => data.reduce((s, r) => s + r[j]!, 0) / n);
  const sd = Array.from({ length: d }, (_, j) => Math.sqrt(data.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / (n - 1)));
  const z = (r: number[]) => r.map((v, j) => (v - mean[j]!) / sd[j]!);
  const zs = data.map(z);
  const cov = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => zs.reduce((s, r) => s + r[a]! * r[b]!, 0) / (n - 1)));
  // Gauss–Jordan with partial pivoting on [cov | I].
  const m = cov.map((row, i) => [...row, ...Array.from({ length: d }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    for (let c = 0; c < 2 * d; c++) m[col]![c]! /= p;
    for (let r = 0; r < d; r++) {
      if (r === col) continue;
      const f = m[r]![col]!;
      for (let c = 0; c < 2 * d; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const inv = m.map((row) => row.slice(d));
  return probes.map((x) => {
    const v = z(x);
    let s = 0;
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) s += v[a]! * inv[a]![b]! * v[b]!;
    return Math.sqrt(s);
  });
}

test("distances agree with an independent Gauss–Jordan computation to 1e-9 on random correlated data", () => {
  for (const seed of [1, 2, 3]) {
    const rnd = random(seed);
    const data: number[][] = [];
    for (let i = 0; i < 400; i++) {
      const u = rnd(), v = rnd(), w = rnd();
      // Classic-like scales: HHMMSS, CRC-32 values, an IPv4 block near 4e9, a small app id; correlated.
      data.push([Math.floor(u * 235959), Math.floor(rnd() * 4294967295), 4e9 + Math.floor((0.7 * u + 0.3 * v) * 65536 + rnd() * 30000), Math.floor(v * 4294967295), Math.floor(w * 40 + 10 * u)]);
    }
    const probes = [...data.slice(0, 50), [235959, 0, 4294967295, 12345, 999], [0, 4294967295, 4e9, 0, 0]];
    const model = fitModel(rows(data), data.length, ["t", "a", "ip", "act", "app"]);
    assert.equal(model.method, "cholesky");
    const got = scoreVectors(model, rows(probes), probes.length);
    const want = referenceDistances(data, probes);
    for (let i = 0; i < probes.length; i++) {
      const rel = Math.abs(got[i]! - want[i]!) / Math.max(want[i]!, 1e-300);
      assert.ok(rel < 1e-9, `probe ${i}: ${got[i]} vs ${want[i]} (relative error ${rel})`);
    }
    // Contributions sum to 1 whatever the correlation.
    const shares = contributions(model, rows([probes[50]!]));
    assert.ok(Math.abs(shares.reduce((s, c) => s + c.share, 0) - 1) < 1e-9);
  }
});

test("values near 4e9: the two-pass moments keep the digits a one-pass sum of squares loses", () => {
  const n = 10_000;
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = 4e9 + (i % 2 === 0 ? 1 : -1); // variance n/(n−1), mean 4e9
  const { mean, covariance } = computeMoments(data, n, 1);
  assert.equal(mean[0], 4e9);
  assert.ok(Math.abs(covariance[0]! - n / (n - 1)) < 1e-12);
  // What a one-pass Σx² − n·mean² would give: nowhere near 1.
  let sum = 0, sumSq = 0;
  for (const x of data) { sum += x; sumSq += x * x; }
  const onePass = (sumSq - (sum * sum) / n) / (n - 1);
  assert.ok(Math.abs(onePass - 1) > 0.5, `one-pass gave ${onePass}, the test no longer shows the problem`);
});

test("a constant column is dropped and named; the rest still scores; never NaN", () => {
  const rnd = random(7);
  const list: number[][] = [];
  for (let i = 0; i < 50; i++) list.push([rnd() * 100, 3735928559, rnd() * 10 + rnd()]);
  const model = fitModel(rows(list), 50, ["time", "account", "action"]);
  assert.deepEqual(model.droppedFeatures, ["account"]);
  assert.equal(model.kept.length, 2);
  const probe = rows([[50, 12345, 5], [50, 3735928559, 5]]);
  const out = scoreVectors(model, probe, 2);
  // The dropped column does not enter the distance: the two probes differ only there.
  assert.equal(out[0], out[1]);
  assert.ok(Number.isFinite(out[0]!));
  const ref = referenceDistances(list.map((r) => [r[0]!, r[2]!]), [[50, 5]]);
  assert.ok(Math.abs(out[0]! - ref[0]!) / ref[0]! < 1e-9);
});

test("fewer events than dimensions: pseudo-inverse, finite distances, no crash", () => {
  const list = [[1, 10, 100, 7, 3], [2, 30, 50, 1, 9], [4, 20, 80, 2, 2]];
  const model = fitModel(rows(list), 3, ["a", "b", "c", "d", "e"]);
  assert.equal(model.method, "pseudo-inverse");
  assert.equal(model.rank, 2);
  const out = scoreVectors(model, rows([...list, [100, -5, 3, 1e9, 0]]), 4);
  for (const v of out) assert.ok(Number.isFinite(v) && v >= 0);
  // With n points in general position and rank n−1, each baseline point has distance² = (n−1)²/n... for n = 3: 4/3.
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(out[i]! ** 2 - 4 / 3) < 1e-9, `point ${i}: ${out[i]}`);
  const shares = contributions(model, rows([[100, -5, 3, 1e9, 0]]));
  assert.ok(shares.every((s) => Number.isFinite(s.share)));
});

test("collinear columns fall back to the pseudo-inverse instead of garbage", () => {
  const rnd = random(11);
  const list: number[][] = [];
  for (let i = 0; i < 100; i++) { const u = rnd(); list.push([u, 2 * u + 4e9, rnd()]); }
  const model = fitModel(rows(list), 100, ["a", "b", "c"]);
  assert.equal(model.method, "pseudo-inverse");
  assert.equal(model.rank, 2);
  const out = scoreVectors(model, rows(list), 100);
  // Every baseline distance² averages to rank × (n−1)/n for a pseudo-inverse fit.
  const meanSq = out.reduce((s, v) => s + v * v, 0) / 100;
  assert.ok(Math.abs(meanSq - 2 * 99 / 100) < 1e-6, `mean d² ${meanSq}`);
});

test("one or zero events: every feature dropped, distance 0", () => {
  for (const n of [0, 1]) {
    const model = fitModel(new Float64Array(n * 2).fill(5), n, ["x", "y"]);
    assert.equal(model.method, "none");
    assert.deepEqual(model.droppedFeatures, ["x", "y"]);
    assert.equal(distanceOf(model, Float64Array.of(1, 2)), 0);
  }
});

test("calibration: linear-interpolated percentiles and per-day counts at thresholds", () => {
  const sorted = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(percentile(sorted, 50), 5.5);
  assert.ok(Math.abs(percentile(sorted, 90) - 9.1) < 1e-12);
  const distances = Float64Array.from([1, 4, 6, 11, 25, 2, 12]);
  const days = ["2026-10-01", "2026-10-01", "2026-10-01", "2026-10-01", "2026-10-02", "2026-10-02", "2026-10-03"];
  const c = calibrate(distances, days);
  assert.equal(c.n, 7);
  assert.equal(c.percentiles.max, 25);
  const at = (t: number) => c.thresholds.find((x) => x.threshold === t)!;
  assert.equal(at(3).flagged, 5);
  assert.deepEqual(at(10).perDay, { "2026-10-01": 1, "2026-10-02": 1, "2026-10-03": 1 });
  assert.equal(at(20).flagged, 1);
  assert.equal(at(20).perDayMax, 1);
  assert.ok(Math.abs(at(5).perDayAverage - 4 / 3) < 1e-12);
});

test("30 features (classic and profile have 5 and 14) still agree with the reference", () => {
  const rnd = random(5);
  const d = 30;
  const data: number[][] = [];
  for (let i = 0; i < 200; i++) {
    const base = rnd();
    data.push(Array.from({ length: d }, (_, j) => (j % 3 === 0 ? 4e9 : 0) + (j + 1) * 1000 * rnd() + 300 * base));
  }
  const model = fitModel(rows(data), data.length, Array.from({ length: d }, (_, j) => `f${j}`));
  assert.equal(model.method, "cholesky");
  const probes = data.slice(0, 20);
  const got = scoreVectors(model, rows(probes), probes.length);
  const want = referenceDistances(data, probes);
  for (let i = 0; i < probes.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) / want[i]! < 1e-9, `probe ${i}`);
});
