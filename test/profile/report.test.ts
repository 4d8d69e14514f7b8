/**
 * The profile set through the real report path (PGlite store, stored baseline, report model):
 * its threshold is the baseline's own quantile unless ANOMALY_LENGTH is set, the stored state is
 * reused, and outliers carry explanations in words and the account's profile.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { FeatureSet } from "../../src/encode/feature-set.ts";
import { profileFeatureSet } from "../../src/encode/profile.ts";
import { assembleReport } from "../../src/report/assemble-report.ts";
import { sectionRules } from "../../src/report/classify.ts";
import { ensureBaseline } from "../../src/detect/baseline-service.ts";
import { loadReportInput } from "../../src/report/build-report.ts";
import type { Database } from "../../src/store/database.ts";
import { event, LOGIN_ROW, officeMonth, openTestDatabase, store, testConfig } from "../report/fixtures.ts";

let db: Database;
const scope = { source: "kintone", tenant: "example.cybozu.com" };
const profile = profileFeatureSet as FeatureSet<unknown>;

before(async () => {
  db = await openTestDatabase();
  await store(db, officeMonth("2026-10", 12));
  await store(db, [
    event("2026-11-10T03:10:00", { account: "alice", action: "login", isLogin: true, raw: LOGIN_ROW, ip: "45.134.7.9", externalId: "night" }),
    event("2026-11-10T10:00:00", { externalId: "ordinary" }),
  ]);
});
after(async () => db.close());

test("profile baseline: quantile threshold, stored state reused, ANOMALY_LENGTH overrides", async () => {
  const config = testConfig({ FEATURE_SET: "profile" });
  const first = await ensureBaseline(db, config, { scope, month: "2026-10", featureSet: profile });
  assert.equal(first.available, true);
  assert.deepEqual(first.droppedFeatures, [], "floors keep constant features");
  assert.notEqual(first.threshold, 10);
  assert.ok(first.threshold > 0);
  const again = await ensureBaseline(db, config, { scope, month: "2026-10", featureSet: profile });
  assert.equal(again.reused, true);
  assert.equal(again.threshold, first.threshold);
  const fixed = await ensureBaseline(db, testConfig({ FEATURE_SET: "profile", ANOMALY_LENGTH: "7.5" }), { scope, month: "2026-10", featureSet: profile });
  assert.equal(fixed.threshold, 7.5);
});

test("the report's profile outliers explain themselves and show the account's habits", async () => {
  const config = testConfig({ FEATURE_SET: "profile" });
  const input = await loadReportInput(db, config, "2026-11-11");
  const report = assembleReport(input, {
    rules: sectionRules(config),
    sectionLimit: 10, featureSet: "profile", anomalyLength: input.scopes[0]!.baseline.threshold,
  });
  const outliers = report.sections.outliers.items;
  assert.deepEqual(outliers.map((o) => o.externalId), ["night"]);
  const night = outliers[0]!;
  assert.equal(night.featureSet, "profile");
  assert.ok(night.explanations!.includes("first login from 45.134.7.9 for this account (no one used it in 2026-10)"), night.explanations!.join(" | "));
  assert.ok(night.explanations!.some((s) => /^03:10 is \d+(\.\d)? h before this account's usual first activity \(09:\d\d\)$/.test(s)), night.explanations!.join(" | "));
  assert.ok(night.accountProfile);
  assert.ok(night.accountProfile.usualHours.includes(10) && !night.accountProfile.usualHours.includes(3));
  assert.ok(night.accountProfile.knownIps.length > 0 && night.accountProfile.knownIps.every((ip) => ip.startsWith("203.0.113.")));
});
