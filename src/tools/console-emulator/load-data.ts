/**
 * The emulated console's audit log, from console CSV files (read with the same reader
 * `kansa import` uses) or generated for a range of days by the demo generator.
 */
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Rejection } from "../../core/types.ts";
import { readConsoleCsv } from "../../sources/kintone/console-csv/index.ts";
import { buildOrganisation } from "../generator/organisation.ts";
import { generateConsoleRows } from "../generator/console-rows.ts";

export interface LoadedRows {
  rows: Record<string, string>[];
  files: string[];
  /** Rows the reader could not read, with file and line. */
  rejections: Rejection[];
}

async function csvFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const out: string[] = [];
  for (const entry of (await readdir(path)).sort()) {
    const child = join(path, entry);
    if ((await stat(child)).isDirectory()) out.push(...(await csvFiles(child)));
    else if (/\.csv$/i.test(entry)) out.push(child);
  }
  return out;
}

/** Every row of the console CSV files at `paths` (files, or folders searched for *.csv). */
export async function loadConsoleCsvFiles(paths: readonly string[]): Promise<LoadedRows> {
  const out: LoadedRows = { rows: [], files: [], rejections: [] };
  for (const path of paths) {
    for (const file of await csvFiles(path)) {
      out.files.push(file);
      for await (const batch of readConsoleCsv(createReadStream(file), { origin: file, batchSize: 5000 })) {
        for (const row of batch.rows) out.rows.push(row.cells);
        out.rejections.push(...batch.rejections);
      }
    }
  }
  return out;
}

export interface GenerateOptions {
  /** First and last day, YYYY-MM-DD in `timezone`, both included. */
  from: string;
  to: string;
  /** Average rows per day (default 1,500). */
  perDay?: number;
  /** Exact total; overrides perDay. */
  total?: number;
  seed?: number;
  /** The tenant's zone, in which the Date cells are written (default Asia/Tokyo). */
  timezone?: string;
}

/** Generated audit-log rows (Japanese UI values), newest first. */
export function generateConsoleCells(options: GenerateOptions): Record<string, string>[] {
  const org = buildOrganisation({ seed: options.seed ?? 1, timezone: options.timezone ?? "Asia/Tokyo" });
  return generateConsoleRows(org, {
    from: options.from,
    to: options.to,
    ...(options.perDay !== undefined ? { perDay: options.perDay } : {}),
    ...(options.total !== undefined ? { total: options.total } : {}),
  }).map((row) => row.cells);
}
