/**
 * The evaluation of issue 9 on a small generated organisation (40 people, two months): the
 * figures that must hold for `profile`, and that `classic` is blind where the issue says it is.
 * The assertions are the issue's, on this month. `npm run eval` measures the full-size
 * organisation (the closing note of issue 9 lists the seeds measured).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../../src/sources/config.ts";
import { classicFeatureSet } from "../../src/encode/classic.ts";
import { profileFeatureSet } from "../../src/encode/profile.ts";
import { evaluateDetection, evaluationTable, rocAuc } from "../../scripts/evaluate-detection.ts";

test("ROC AUC by Mann–Whitney, ties counted half", () => {
  assert.equal(rocAuc([3, 4], [1, 2]), 1);
  assert.equal(rocAuc([1], [2]), 0);
  assert.equal(rocAuc([2], [2]), 0.5);
  assert.equal(rocAuc([2, 5], [1, 3]), 0.75);
  assert.ok(Number.isNaN(rocAuc([], [1])));
});

const result = evaluateDetection({
  config: loadConfig({ LOG_LEVEL: "silent" }),
  featureSets: [classicFeatureSet, profileFeatureSet] as never,
  seed: 11, people: 40, consolePerDay: 500, auth0PerDay: 40, perKind: 6, routinePerKind: 8, burstSize: 12,
});
const profile = result.featureSets.find((s) => s.featureSet === "profile")!;
const classic = result.featureSets.find((s) => s.featureSet === "classic")!;
test.after(() => console.log(evaluationTable(result)));

test("profile: ROC AUC ≥ 0.98 on every injected kind", () => {
  for (const kind of profile.kinds) {
    assert.ok(kind.events > 0, `${kind.kind} was injected`);
    assert.ok(kind.auc >= 0.98, `${kind.kind}: AUC ${kind.auc}`);
  }
});

test("profile: routine critical actions are not flagged", () => {
  for (const routine of profile.routine) {
    assert.ok(routine.events > 0, routine.kind);
    assert.equal(routine.flagged, 0, `${routine.kind}: ${routine.flagged} of ${routine.events} flagged`);
  }
});

test("profile: recall ≥ 0.95 at a false-positive rate ≤ 0.5% with the default threshold", () => {
  assert.ok(profile.falsePositiveRate <= 0.005, `FPR ${profile.falsePositiveRate}`);
  assert.ok(profile.recall >= 0.95, `recall ${profile.recall}`);
});

test("profile: the false-positive rate stays within a few times TARGET_FPR", () => {
  assert.ok(profile.falsePositiveRate <= 0.01, `FPR ${profile.falsePositiveRate}`);
  assert.ok(profile.recall >= 0.5, `recall ${profile.recall}`);
});

test("classic is near chance where the issue says it is, and profile beats it on every kind", () => {
  const byKind = new Map(classic.kinds.map((k) => [k.kind, k.auc]));
  for (const kind of ["new-address", "new-app-for-account"]) assert.ok(byKind.get(kind)! < 0.7, `${kind}: ${byKind.get(kind)}`);
  for (const kind of profile.kinds) assert.ok(kind.auc > byKind.get(kind.kind)!, kind.kind);
});
