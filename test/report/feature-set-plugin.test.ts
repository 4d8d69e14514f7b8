/**
 * The feature-set contract as a later set (issue 9's profile) uses it: state fitted on the
 * baseline month, saved with the baseline and loaded back, settings that force a refit, its own
 * default threshold and explanations in the report. The set here is a small test double.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Config } from "../../src/core/config.ts";
import type { JsonValue } from "../../src/core/types.ts";
import type { EncodableEvent, FeatureSet } from "../../src/encode/feature-set.ts";
import { ZoneClock } from "../../src/encode/local-time.ts";
import type { Database } from "../../src/store/database.ts";
import { readBaseline } from "../../src/store/baselines.ts";
import { ensureBaseline } from "../../src/detect/baseline-service.ts";
import { loadReportInput } from "../../src/report/build-report.ts";
import { assembleReport } from "../../src/report/assemble-report.ts";
import { sectionRules } from "../../src/report/classify.ts";
import { event, officeMonth, openTestDatabase, store, testConfig } from "./fixtures.ts";

interface SeenState { clock: ZoneClock; counts: Map<string, number>; fits: number }
let loads = 0;

/** −log frequency of the account in the month (unknown account: −log(0.5/n)), and the hour. */
const rarity: FeatureSet<SeenState> = {
  name: "rarity-test",
  description: "test double",
  columns: ["account"],
  featureNames: ["accountRarity", "hour"],
  fit(events: readonly EncodableEvent[], context) {
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.account, (counts.get(e.account) ?? 0) + 1);
    counts.set("", events.length);
    return { clock: new ZoneClock(context.timezone), counts, fits: 1 };
  },
  encode(events, state) {
    const n = state.counts.get("") ?? 1;
    return Float64Array.from(events.flatMap((e) => [-Math.log((state.counts.get(e.account) ?? 0.5) / n), state.clock.hour(e.occurredAt.getTime())]));
  },
  save: (state) => ({ counts: Object.fromEntries(state.counts) }),
  load(json: JsonValue, context) {
    loads++;
    const counts = new Map(Object.entries((json as { counts: Record<string, number> }).counts));
    return { clock: new ZoneClock(context.timezone), counts, fits: 0 };
  },
  modelOptions: { varianceFloor: 1e-6 },
  defaultThreshold: (sorted: Float64Array) => (sorted.length ? sorted[Math.floor(sorted.length * 0.99)]! : 3),
  settingsKey: (config: Config) => `MIN_PROFILE_DAYS=${config.minProfileDays}`,
  explain: (e, state) => (state.counts.has(e.account) ? [] : [`first event of ${e.account} in the baseline month`]),
};

let db: Database;
const scope = { source: "kintone", tenant: "example.cybozu.com" };
before(async () => {
  db = await openTestDatabase();
  await store(db, officeMonth("2026-10", 6));
  await store(db, [event("2026-11-10T10:00:00", { account: "newcomer", externalId: "new" }), event("2026-11-10T11:00:00", { externalId: "known" })]);
});
after(async () => db.close());

test("state is fitted, stored with the baseline, and loaded back; settings force a refit", async () => {
  const config = testConfig();
  const first = await ensureBaseline(db, config, { scope, month: "2026-10", featureSet: rarity as FeatureSet<unknown> });
  assert.equal(first.reused, false);
  assert.equal((first.state as SeenState).fits, 1);
  const stored = await readBaseline(db, { ...scope, month: "2026-10", timezone: "Asia/Tokyo", featureSet: "rarity-test" });
  assert.equal((stored!.extra.state as { counts: Record<string, number> }).counts[""], 186);
  const second = await ensureBaseline(db, config, { scope, month: "2026-10", featureSet: rarity as FeatureSet<unknown> });
  assert.equal(second.reused, true);
  assert.equal(loads, 1);
  assert.equal((second.state as SeenState).counts.get("alice"), (first.state as SeenState).counts.get("alice"));
  assert.equal(second.threshold, first.threshold); // the set's own default, stored at fit time
  const other = await ensureBaseline(db, testConfig({ MIN_PROFILE_DAYS: "9" }), { scope, month: "2026-10", featureSet: rarity as FeatureSet<unknown> });
  assert.equal(other.reused, false);
  // ANOMALY_LENGTH overrides the set's default.
  const fixed = await ensureBaseline(db, testConfig({ MIN_PROFILE_DAYS: "9", ANOMALY_LENGTH: "4.5" }), { scope, month: "2026-10", featureSet: rarity as FeatureSet<unknown> });
  assert.equal(fixed.threshold, 4.5);
});

test("the report scores with the set and carries its explanations", async () => {
  const config = testConfig({ ANOMALY_LENGTH: "3" });
  const input = await loadReportInput(db, config, "2026-11-11");
  // Swap the registered set for the test double (the loader resolved FEATURE_SET = classic).
  for (const s of input.scopes) s.baseline = await ensureBaseline(db, config, { scope: s.scope, month: input.baselineMonth, featureSet: rarity as FeatureSet<unknown> });
  const report = assembleReport(input, {
    rules: sectionRules(config),
    sectionLimit: 10, featureSet: "rarity-test", anomalyLength: 3,
  });
  const outliers = report.sections.outliers.items;
  assert.deepEqual(outliers.map((o) => o.externalId), ["new"]);
  assert.equal(outliers[0]!.featureSet, "rarity-test");
  assert.deepEqual(outliers[0]!.explanations, ["first event of newcomer in the baseline month"]);
  assert.equal(outliers[0]!.contributions[0]!.feature, "accountRarity");
});
