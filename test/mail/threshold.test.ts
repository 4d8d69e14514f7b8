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
  assert.equal(view.summary.threshold, "36.13 / 35.27");
  assert.match(summarizeReport(model), /\(distance > 36\.13 \/ 35\.27\)/);
});

test("with one threshold everywhere (classic, or ANOMALY_LENGTH set) it is stated once; with no baseline, the setting", () => {
  const model = busyModel();
  assert.equal(buildView(model, { lang: "en" }).summary.threshold, "10");
  model.baselines = [];
  model.settings = { ...model.settings!, anomalyLength: 7.5 };
  assert.equal(buildView(model, { lang: "en" }).summary.threshold, "7.5");
  assert.match(summarizeReport(model), /\(distance > 7\.5\)/);
});

test("the summary says where the thresholds come from: ANOMALY_LENGTH only when it is set", () => {
  const model = busyModel();
  model.settings = { ...model.settings!, featureSet: "profile", anomalyLength: 10, thresholdSource: "baseline" };
  model.baselines = [{ ...model.baselines[0]!, featureSet: "profile", threshold: 13.514 }];
  for (const lang of ["en", "ja"] as const) {
    const view = buildView(model, { lang });
    assert.doesNotMatch(view.t.threshold, /ANOMALY_LENGTH/);
    assert.match(view.summary.threshold, lang === "en" ? /^13\.51 \(each baseline month's own, for TARGET_FPR; ANOMALY_LENGTH unset\)$/ : /^13\.51 \(基準月ごとに TARGET_FPR から算出/);
  }
  model.settings = { ...model.settings, featureSet: "classic", thresholdSource: "baseline" };
  model.baselines = [{ ...model.baselines[0]!, featureSet: "classic", threshold: 10 }];
  assert.equal(buildView(model, { lang: "en" }).summary.threshold, "10 (the classic default; ANOMALY_LENGTH unset)");
  model.settings = { ...model.settings, anomalyLength: 7.5, thresholdSource: "setting" };
  model.baselines = [{ ...model.baselines[0]!, threshold: 7.5 }];
  assert.equal(buildView(model, { lang: "en" }).summary.threshold, "7.5 (set by ANOMALY_LENGTH)");
});
