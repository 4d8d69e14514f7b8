/**
 * Issue 25's must-hold on the evaluation's own month (`npm run eval`, seed 7: about 47,000
 * events in two sources): the baseline fitted in chunks of 1,000 events, as the store's month is
 * fitted, gives the distances and threshold of the evaluation's whole-month fit, to 1e-9
 * relative, for both feature sets. The evaluation itself fits in memory, as one chunk.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "../../src/sources/config.ts";
import { fitBaseline } from "../../src/detect/model.ts";
import { scoreVectors } from "../../src/detect/score.ts";
import { fitMonth } from "../../src/detect/fit-month.ts";
import { encodeEvents } from "../../src/encode/encode-events.ts";
import type { FeatureSet } from "../../src/encode/feature-set.ts";
import { featureSets } from "../../src/encode/registry.ts";
import { ZoneClock } from "../../src/encode/local-time.ts";
import { evaluationEvents } from "../../scripts/evaluate-detection.ts";

const config = loadConfig({ LOG_LEVEL: "silent" });

test("the evaluation month fitted in chunks of 1,000 gives its whole-month distances to 1e-9", async () => {
  const { events, baselineMonth } = evaluationEvents({ config, featureSets: [...featureSets], seed: 7 });
  const clock = new ZoneClock(config.reportTimezone);
  const baseline = events.map((e) => e.event).filter((e) => clock.localDate(e.occurredAt.getTime()).startsWith(baselineMonth));
  const scopes = [...new Set(baseline.map((e) => `${e.source}\u0000${e.tenant}`))];
  assert.equal(scopes.length, 2);
  for (const scope of scopes) {
    const month = baseline.filter((e) => `${e.source}\u0000${e.tenant}` === scope);
    const context = { timezone: config.reportTimezone, source: month[0]!.source, tenant: month[0]!.tenant, month: baselineMonth, config };
    for (const set of featureSets as FeatureSet<unknown>[]) {
      const state = set.fit(month, context);
      const encoded = encodeEvents(month, set, state, { baseline: true });
      const { model } = fitBaseline(encoded.data, encoded.n, set.featureNames, set.modelOptions ?? {});
      const whole = scoreVectors(model, encoded.data, encoded.n).sort();
      const chunked = await fitMonth(set, context, async function* () { for (let i = 0; i < month.length; i += 777) yield month.slice(i, i + 777); }, { chunkRows: 1000 });
      assert.equal(chunked.distances.length, whole.length);
      let worst = 0;
      for (let i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs(chunked.distances[i]! - whole[i]!) / Math.max(whole[i]!, 1e-12));
      assert.ok(worst <= 1e-9, `${scope} ${set.name}: largest relative difference ${worst}`);
      if (process.env.FIT_REPORT) console.log(`${scope.replace("\u0000", " ")} ${set.name}: ${month.length} events, largest relative difference ${worst.toExponential(2)}`);
      const t0 = set.defaultThreshold(whole, config);
      assert.ok(Math.abs(set.defaultThreshold(chunked.distances, config) - t0) <= 1e-9 * t0, `${set.name} threshold`);
    }
  }
});
