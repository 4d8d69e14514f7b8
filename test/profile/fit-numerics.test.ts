/** Detector options for the profile set: OAS shrinkage, per-column variance floors, the robust refit, χ² quantiles. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { chiSquareQuantile, normalQuantile } from "../../src/detect/chi-square.ts";
import { fitBaseline, modelFromMoments } from "../../src/detect/model.ts";
import { computeMoments } from "../../src/detect/moments.ts";
import { trimmedMoments } from "../../src/detect/robust-fit.ts";
import { scoreVectors } from "../../src/detect/score.ts";
import { oasShrinkage, shrinkInPlace } from "../../src/detect/shrinkage.ts";
import { quantileThreshold } from "../../src/encode/threshold.ts";

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} ≠ ${b}`);

test("OAS shrinkage of a 2×2 correlation matrix matches the formula worked by hand", () => {
  const s = Float64Array.from([1, 0.5, 0.5, 1]);
  // μ = 1, α = mean(S²) = 0.625, num = α + μ² = 1.625, den = (n + 1)(α − μ²/p) = 101 · 0.125.
  close(oasShrinkage(s, 2, 100), 1.625 / 12.625);
  assert.equal(oasShrinkage(s, 2, 10), 1, "capped at 1");
  shrinkInPlace(s, 2, 0.2);
  assert.deepEqual(Array.from(s), [1, 0.4, 0.4, 1]);
});

test("a shrunk model: the distance of a point along the correlated direction grows, stored moments rebuild it", () => {
  const rows: number[] = [];
  for (let i = 0; i < 50; i++) {
    const x = Math.sin(i) * 3;
    rows.push(x, x + 0.1 * Math.cos(i * 7));
  }
  const data = Float64Array.from(rows);
  const names = ["a", "b"];
  const plain = fitBaseline(data, 50, names);
  const shrunk = fitBaseline(data, 50, names, { shrinkage: "oas" });
  const probe = Float64Array.from([3, -3]); // against the correlation
  assert.ok(scoreVectors(shrunk.model, probe, 1)[0]! < scoreVectors(plain.model, probe, 1)[0]!, "shrinkage tempers the near-singular direction");
  const rebuilt = modelFromMoments(shrunk.moments, names, { shrinkage: "oas" });
  close(scoreVectors(rebuilt, probe, 1)[0]!, scoreVectors(shrunk.model, probe, 1)[0]!, 1e-12);
});

test("per-column variance floors keep a constant column, whose change then counts", () => {
  const data = Float64Array.from([1, 0, 2, 0, 3, 0, 4, 0]);
  const dropped = fitBaseline(data, 4, ["x", "flag"]).model;
  assert.deepEqual(dropped.droppedFeatures, ["flag"]);
  const model = fitBaseline(data, 4, ["x", "flag"], { varianceFloor: [0, 1e-4] }).model;
  assert.deepEqual(model.droppedFeatures, []);
  close(model.std[1]!, 0.01);
  // x at its mean, flag 1: z = 1 / 0.01.
  close(scoreVectors(model, Float64Array.from([2.5, 1]), 1)[0]!, 100, 1e-9);
});

test("χ² and normal quantiles", () => {
  close(normalQuantile(0.975), 1.959963984540054, 1e-8);
  close(normalQuantile(0.5), 0, 1e-12);
  // Exact values: χ²_2(0.975) = 7.3778, χ²_10(0.975) = 20.4832 (Wilson–Hilferty within 1%).
  assert.ok(Math.abs(chiSquareQuantile(2, 0.975) / 7.3778 - 1) < 0.01);
  assert.ok(Math.abs(chiSquareQuantile(10, 0.975) / 20.4832 - 1) < 0.01);
  assert.equal(chiSquareQuantile(0, 0.975), 0);
});

test("the robust refit drops a gross outlier and keeps n", () => {
  const rows: number[] = [];
  for (let i = 0; i < 40; i++) rows.push(i % 5, (i * 3) % 7);
  rows.push(100, -100);
  const data = Float64Array.from(rows);
  const all = computeMoments(data, 41, 2);
  const model = modelFromMoments(all, ["a", "b"]);
  const robust = trimmedMoments(data, 41, 2, model, all, { quantile: 0.975 });
  assert.equal(robust.trimmed, 1);
  assert.equal(robust.moments.n, 41);
  const clean = computeMoments(data.subarray(0, 80), 40, 2);
  for (let j = 0; j < 2; j++) close(robust.moments.mean[j]!, clean.mean[j]!, 1e-12);
  for (let j = 0; j < 4; j++) close(robust.moments.covariance[j]!, clean.covariance[j]!, 1e-12);
  // Through fitBaseline, the stored moments are the trimmed ones.
  const fitted = fitBaseline(data, 41, ["a", "b"], { robust: { quantile: 0.975 } });
  close(fitted.moments.mean[0]!, clean.mean[0]!, 1e-12);
  // maxTrimmed caps how many rows go: at χ²(0.5) most rows are beyond the cut, but at most
  // ⌊41 · 0.05⌋ = 2 are dropped (fewer when the next distances tie).
  const over = scoreVectors(model, data, 41).filter((d) => d * d > chiSquareQuantile(2, 0.5)).length;
  assert.ok(over > 2);
  const capped = trimmedMoments(data, 41, 2, model, all, { quantile: 0.5, maxTrimmed: 0.05 });
  assert.ok(capped.trimmed >= 1 && capped.trimmed <= 2, String(capped.trimmed));
});

test("the quantile threshold leaves at most n·fpr baseline distances above it", () => {
  const sorted = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
  assert.equal(quantileThreshold(sorted, 0.001), 999);
  assert.equal(quantileThreshold(sorted, 0.01), 990);
  assert.equal(sorted.filter((d) => d > quantileThreshold(sorted, 0.01)).length, 10);
  assert.equal(quantileThreshold(Float64Array.from([5]), 0.001), 5);
  assert.equal(quantileThreshold(new Float64Array(0), 0.001), 10);
});

test("the quantile threshold leaves at least minAbove baseline distances above it in a small month", () => {
  const sorted = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
  assert.equal(quantileThreshold(sorted, 0.001, 10), 990, "n·fpr = 1 < 10: ten above");
  assert.equal(quantileThreshold(sorted, 0.05, 10), 950, "n·fpr = 50 ≥ 10: the rate rules");
  const small = Float64Array.from({ length: 120 }, (_, i) => i + 1);
  assert.equal(small.filter((d) => d > quantileThreshold(small, 0.001, 10)).length, 10);
  assert.equal(quantileThreshold(small, 0.001, 0), 120, "without it, the largest");
  assert.equal(quantileThreshold(Float64Array.from([5, 6]), 0.001, 10), 5, "never below the smallest");
});
