import { test } from "node:test";
import assert from "node:assert/strict";
import { buildView } from "../../src/mail/view-model.ts";
import { summarizeReport } from "../../src/schedule/daily-report.ts";
import { busyModel } from "./fixtures.ts";

test("the report states the thresholds the baselines applied (profile's quantiles), not the unset ANOMALY_LENGTH's fallback", () => {
  const model = busyModel();
  model.settings = { ...model.settings!, featureSet: "profile", anomalyLength: 10 };
  model.baselines = [
    { ...model.baselines[0]!, featureSet: "profile", threshold: 36.1337 },
    { ...model.baselines[1]!, featureSet: "profile", threshold: 35.2728 },
    { source: "auth0", tenant: "thin.auth0.com", month: "2026-09", n: 12, featureSet: "profile", droppedFeatures: [], available: false, threshold: 99 },
  ];
  const view = buildView(model, { lang: "en" });
  assert.equal(view.outliers.intro, "Events whose Mahalanobis distance from last month exceeds 36.13 / 35.27, farthest first.");
  assert.match(summarizeReport(model), /\(distance > 36\.13 \/ 35\.27\)/);
});

test("with one threshold everywhere (classic, or ANOMALY_LENGTH set) it is stated once; with no baseline, the setting", () => {
  const model = busyModel();
  assert.equal(buildView(model, { lang: "en" }).outliers.intro, "Events whose Mahalanobis distance from last month exceeds 10, farthest first.");
  model.baselines = [];
  model.settings = { ...model.settings!, anomalyLength: 7.5 };
  assert.match(buildView(model, { lang: "en" }).outliers.intro, /exceeds 7\.5,/);
  assert.match(summarizeReport(model), /\(distance > 7\.5\)/);
});
