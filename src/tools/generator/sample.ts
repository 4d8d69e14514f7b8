/**
 * A whole sample folder, as a user would have it after downloading: the console's CSV split per
 * month or per week under `console/`, and the Auth0 log stream's Firehose objects under `auth0/`.
 */
import { InputError } from "../../core/errors.ts";
import { join } from "node:path";
import { streamAuth0Events, type Auth0LogEvent } from "./auth0-events.ts";
import { streamConsoleRows, type GeneratedConsoleRow } from "./console-rows.ts";
import { ConsoleCsvFileWriter, type ConsoleCsvEncoding } from "./console-csv.ts";
import type { ConsoleLang } from "./console-vocabulary.ts";
import { writeAuth0JsonArray, writeAuth0Ndjson, writeAuth0StreamFiles } from "./auth0-files.ts";
import { defaultRange, generateDataset, type Dataset, type DatasetOptions } from "./dataset.ts";
import { buildOrganisation, type Organisation } from "./organisation.ts";
import { DAY_MS, parseDay, formatDayKey } from "./time.ts";

export interface SampleOptions extends DatasetOptions {
  /** One console CSV per month (default) or per week (weeks start on Monday). */
  split?: "month" | "week";
  /** Console CSV language (default "ja"). */
  lang?: ConsoleLang;
  /** Console CSV encoding (default "utf8bom" for ja, "utf8" for en). */
  encoding?: ConsoleCsvEncoding;
  /** How Auth0 events are written (default "stream": Firehose objects). */
  auth0Format?: "stream" | "ndjson" | "array";
  /** Use an already generated dataset instead of generating one from the options. */
  dataset?: Dataset;
}

export interface SampleResult {
  dir: string;
  from: string;
  to: string;
  consoleRows: number;
  auth0Events: number;
  consoleFiles: string[];
  auth0Files: string[];
}

function weekStart(dayKey: string): string {
  const ms = parseDay(dayKey);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  return formatDayKey(ms - weekday * DAY_MS);
}

/**
 * Generates (or takes) a dataset and writes it under `dir`: `console/audit-log_<period>.csv`
 * (newest first in each file) and `auth0/YYYY/MM/DD/HH/…` (or `auth0/events.ndjson` /
 * `auth0/events.json`). Without `dataset`, `anomalies` or `hostile`, both logs are generated and
 * written day by day, so volumes of millions stay in bounded memory. Returns what was written.
 */
export async function writeSample(dir: string, options: SampleOptions = {}): Promise<SampleResult> {
  let org: Organisation;
  let from: string;
  let to: string;
  let consoleRows: Iterable<GeneratedConsoleRow>;
  let auth0Events: Iterable<Auth0LogEvent>;
  if (options.dataset || options.anomalies || options.hostile) {
    const dataset = options.dataset ?? generateDataset(options);
    ({ organisation: org, from, to, consoleRows, auth0Events } = dataset);
  } else {
    const range = defaultRange(options.now);
    from = options.from ?? range.from;
    to = options.to ?? range.to;
    org = buildOrganisation(options);
    consoleRows = streamConsoleRows(org, { from, to, perDay: options.consolePerDay, total: options.consoleTotal });
    auth0Events = streamAuth0Events(org, { from, to, perDay: options.auth0PerDay, total: options.auth0Total });
  }

  // Rows come newest first, so each period's rows arrive together.
  const consoleFiles: string[] = [];
  const done = new Set<string>();
  type Open = { key: string; writer: ConsoleCsvFileWriter };
  let current = null as Open | null;
  let rowCount = 0;
  try {
    for (const row of consoleRows) {
      const day = row.cells.Date.slice(0, 10);
      const key = options.split === "week" ? weekStart(day) : day.slice(0, 7);
      if (current?.key !== key) {
        if (current) await current.writer.close();
        current = null;
        if (done.has(key)) throw new InputError(`console rows are not newest first: ${day} comes after a later period`);
        done.add(key);
        const path = join(dir, "console", `audit-log_${key}.csv`);
        consoleFiles.push(path);
        current = { key, writer: await ConsoleCsvFileWriter.open(path, { lang: options.lang, encoding: options.encoding }) };
      }
      await current.writer.write(row);
      rowCount++;
    }
  } finally {
    if (current) await current.writer.close();
  }
  consoleFiles.sort();

  let auth0Files: string[];
  let eventCount: number;
  const auth0Dir = join(dir, "auth0");
  if (options.auth0Format === "ndjson") {
    const path = join(auth0Dir, "events.ndjson");
    eventCount = (await writeAuth0Ndjson(auth0Events, path)).events;
    auth0Files = [path];
  } else if (options.auth0Format === "array") {
    const path = join(auth0Dir, "events.json");
    eventCount = (await writeAuth0JsonArray(auth0Events, path)).events;
    auth0Files = [path];
  } else {
    const written = await writeAuth0StreamFiles(auth0Events, auth0Dir, { tenant: org.auth0Tenant, awsAccount: org.awsAccount, region: org.awsRegion, eventSourceId: org.eventSourceId, seed: org.seed });
    auth0Files = written.files;
    eventCount = written.events;
  }
  return { dir, from, to, consoleRows: rowCount, auth0Events: eventCount, consoleFiles, auth0Files };
}
