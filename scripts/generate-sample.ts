/**
 * Writes a generated sample folder (console CSV + Auth0 log-stream files).
 *
 *   npx tsx scripts/generate-sample.ts --out DIR --from YYYY-MM-DD --to YYYY-MM-DD [--seed N]
 *     [--people N] [--console-per-day N] [--auth0-total N] [--split month|week] [--lang ja|en]
 *     [--encoding utf8|utf8bom|sjis] [--auth0-format stream|ndjson|array] [--anomalies] [--hostile]
 *     [--labels FILE]
 */
import { InputError } from "../src/core/errors.ts";
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { generateDataset, writeSample } from "../src/tools/generator/index.ts";

const { values } = parseArgs({
  options: {
    out: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    seed: { type: "string", default: "1" },
    people: { type: "string" },
    "console-per-day": { type: "string" },
    "auth0-total": { type: "string" },
    split: { type: "string", default: "month" },
    lang: { type: "string", default: "ja" },
    encoding: { type: "string" },
    "auth0-format": { type: "string", default: "stream" },
    anomalies: { type: "boolean", default: false },
    hostile: { type: "boolean", default: false },
    labels: { type: "string" },
  },
});

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InputError(`--${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new InputError(`--${name} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
  return value as T;
}

async function main(): Promise<void> {
  if (!values.out) throw new InputError("--out DIR is required");
  const started = Date.now();
  const options = {
    seed: int("seed", values.seed),
    people: int("people", values.people),
    from: values.from,
    to: values.to,
    consolePerDay: int("console-per-day", values["console-per-day"]),
    auth0Total: int("auth0-total", values["auth0-total"]),
    split: oneOf("split", values.split, ["month", "week"] as const),
    lang: oneOf("lang", values.lang, ["ja", "en"] as const),
    encoding: oneOf("encoding", values.encoding, ["utf8", "utf8bom", "sjis"] as const),
    auth0Format: oneOf("auth0-format", values["auth0-format"], ["stream", "ndjson", "array"] as const),
  };
  // Labelled anomalies and hostile cases need the whole dataset in memory; without them the
  // sample is generated and written day by day.
  const dataset = values.anomalies || values.hostile ? generateDataset({ ...options, anomalies: values.anomalies, hostile: values.hostile }) : undefined;
  const result = await writeSample(values.out, { ...options, dataset });
  const labels = dataset?.labels ?? [];
  if (values.labels) await writeFile(values.labels, `${JSON.stringify(labels, null, 2)}\n`);
  console.log(JSON.stringify({ ...result, consoleFiles: result.consoleFiles.length, auth0Files: result.auth0Files.length, labels: labels.length, seconds: (Date.now() - started) / 1000 }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
