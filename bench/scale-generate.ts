/**
 * Child process of bench/scale.bench.ts: writes the generated organisation's sample folder
 * (console CSV per month, Auth0 log-stream files) day by day, so that neither the bench nor
 * this process holds the millions of events, and prints one JSON line with the counts, the time
 * and its own peak RSS.
 * Usage: node --import tsx bench/scale-generate.ts DIR FROM TO PEOPLE CONSOLE_PER_DAY AUTH0_PER_DAY
 */
import { writeSample } from "../src/tools/generator/index.ts";

const [dir, from, to, people, consolePerDay, auth0PerDay] = process.argv.slice(2);
if (!dir || !from || !to || !people || !consolePerDay || !auth0PerDay) {
  throw new Error("usage: scale-generate.ts DIR FROM TO PEOPLE CONSOLE_PER_DAY AUTH0_PER_DAY");
}
const started = performance.now();
const result = await writeSample(dir, {
  seed: 1, from, to, people: Number(people), consolePerDay: Number(consolePerDay), auth0PerDay: Number(auth0PerDay),
});
process.stdout.write(`${JSON.stringify({
  consoleRows: result.consoleRows, auth0Events: result.auth0Events, consoleFiles: result.consoleFiles.length, auth0Files: result.auth0Files.length,
  seconds: Math.round((performance.now() - started) / 100) / 10, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
})}\n`);
