/**
 * `npm run eval`: the detection evaluation (scripts/evaluate-detection.ts) on a realistic
 * generated organisation, every registered feature set side by side. Prints the JSON result,
 * then the table. Options: --seed N, --people N, --month YYYY-MM (baseline), --json-only.
 * Settings (TARGET_FPR, ANOMALY_LENGTH, MIN_PROFILE_DAYS...) come from the environment as for kansa.
 */
import { loadConfig } from "../src/sources/config.ts";
import { featureSets } from "../src/encode/registry.ts";
import { evaluateDetection, evaluationTable } from "./evaluate-detection.ts";

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const config = loadConfig({ ...process.env, LOG_LEVEL: "silent" });
const started = performance.now();
const result = evaluateDetection({
  config,
  featureSets: [...featureSets],
  seed: option("seed") ? Number(option("seed")) : undefined,
  people: option("people") ? Number(option("people")) : undefined,
  month: option("month"),
});
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
if (!process.argv.includes("--json-only")) {
  process.stdout.write(`\n${evaluationTable(result)}\n(${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}
