/**
 * A whole sample folder, as a user would have it after downloading: the console's CSV split per
 * month or per week under `console/`, and the Auth0 log stream's Firehose objects under `auth0/`.
 */
import { join } from "node:path";
import type { GeneratedConsoleRow } from "./console-rows.ts";
import { writeConsoleCsv, type ConsoleCsvEncoding } from "./console-csv.ts";
import type { ConsoleLang } from "./console-vocabulary.ts";
import { writeAuth0JsonArray, writeAuth0Ndjson, writeAuth0StreamFiles } from "./auth0-files.ts";
import { generateDataset, type Dataset, type DatasetOptions } from "./dataset.ts";
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
 * `auth0/events.json`). Returns what was written.
 */
export async function writeSample(dir: string, options: SampleOptions = {}): Promise<SampleResult> {
  const dataset = options.dataset ?? generateDataset(options);
  const groups = new Map<string, GeneratedConsoleRow[]>();
  for (const row of dataset.consoleRows) {
    const day = row.cells.Date.slice(0, 10);
    const key = options.split === "week" ? weekStart(day) : day.slice(0, 7);
    let group = groups.get(key);
    if (!group) {
      group = [];
      groups.set(key, group);
    }
    group.push(row);
  }
  const consoleFiles: string[] = [];
  for (const key of [...groups.keys()].sort()) {
    const path = join(dir, "console", `audit-log_${key}.csv`);
    await writeConsoleCsv(groups.get(key) ?? [], path, { lang: options.lang, encoding: options.encoding });
    consoleFiles.push(path);
  }
  let auth0Files: string[];
  const auth0Dir = join(dir, "auth0");
  if (options.auth0Format === "ndjson") {
    const path = join(auth0Dir, "events.ndjson");
    await writeAuth0Ndjson(dataset.auth0Events, path);
    auth0Files = [path];
  } else if (options.auth0Format === "array") {
    const path = join(auth0Dir, "events.json");
    await writeAuth0JsonArray(dataset.auth0Events, path);
    auth0Files = [path];
  } else {
    const org = dataset.organisation;
    auth0Files = (await writeAuth0StreamFiles(dataset.auth0Events, auth0Dir, { tenant: org.auth0Tenant, awsAccount: org.awsAccount, region: org.awsRegion, eventSourceId: org.eventSourceId, seed: org.seed })).files;
  }
  return { dir, from: dataset.from, to: dataset.to, consoleRows: dataset.consoleRows.length, auth0Events: dataset.auth0Events.length, consoleFiles, auth0Files };
}
