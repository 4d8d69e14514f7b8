/**
 * Generator speed: a month of 300,000 console rows and 30,000 Auth0 events (the issue 8
 * backfill volume), generated in memory and streamed to a sample folder, with peak RSS.
 * Target: the 300,000 rows in a few seconds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildOrganisation, encodeConsoleCsv, generateAuth0Events, generateConsoleRows, writeSample } from "../src/tools/generator/index.ts";

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function run(): Promise<object> {
  const org = buildOrganisation({ seed: 1 });
  let peak = process.memoryUsage().rss;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 50);
  try {
    let t = process.hrtime.bigint();
    // CPU time as well as wall time: on a shared machine the wall clock mostly measures the others.
    const cpu = process.cpuUsage();
    const rows = generateConsoleRows(org, { from: "2026-10-01", to: "2026-10-30", perDay: 10_000 });
    const consoleSeconds = seconds(t);
    const used = process.cpuUsage(cpu);
    const consoleCpuSeconds = (used.user + used.system) / 1e6;
    t = process.hrtime.bigint();
    const csvBytes = encodeConsoleCsv(rows, { lang: "ja", encoding: "sjis" }).length;
    const sjisSeconds = seconds(t);
    t = process.hrtime.bigint();
    const events = generateAuth0Events(org, { from: "2026-10-01", to: "2026-10-30", perDay: 1_000 });
    const auth0Seconds = seconds(t);
    sample();

    const dir = mkdtempSync(join(tmpdir(), "kansa-bench-gen-"));
    try {
      t = process.hrtime.bigint();
      const written = await writeSample(dir, { seed: 1, from: "2026-10-01", to: "2026-10-30", consolePerDay: 10_000, auth0PerDay: 1_000 });
      const sampleSeconds = seconds(t);
      sample();
      return {
        consoleRows: rows.length,
        consoleRowsPerSecond: Math.round(rows.length / consoleSeconds),
        consoleSeconds: Number(consoleSeconds.toFixed(2)),
        consoleCpuSeconds: Number(consoleCpuSeconds.toFixed(2)),
        shiftJisCsv: { bytes: csvBytes, seconds: Number(sjisSeconds.toFixed(2)) },
        auth0Events: events.length,
        auth0Seconds: Number(auth0Seconds.toFixed(2)),
        streamedSample: { consoleRows: written.consoleRows, auth0Events: written.auth0Events, auth0Files: written.auth0Files.length, seconds: Number(sampleSeconds.toFixed(2)) },
        peakRssMb: Math.round(peak / 1e6),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    clearInterval(timer);
  }
}
