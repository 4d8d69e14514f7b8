/**
 * Child process of bench/import.bench.ts: writes a generated sample folder (console CSV per
 * week + Auth0 log-stream files) so that the parent's memory is not inflated by the dataset.
 * Usage: node --import tsx bench/write-sample-child.ts DIR FROM TO CONSOLE_TOTAL AUTH0_TOTAL
 */
import { writeSample } from "../src/tools/generator/index.ts";

const [dir, from, to, consoleTotal, auth0Total] = process.argv.slice(2);
if (!dir || !from || !to) throw new Error("usage: write-sample-child.ts DIR FROM TO [CONSOLE_TOTAL AUTH0_TOTAL]");
const result = await writeSample(dir, {
  seed: 5, from, to, split: "week",
  consoleTotal: consoleTotal ? Number(consoleTotal) : undefined,
  auth0Total: auth0Total ? Number(auth0Total) : undefined,
});
process.stdout.write(`${JSON.stringify({ consoleRows: result.consoleRows, auth0Events: result.auth0Events })}\n`);
