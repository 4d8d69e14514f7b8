/**
 * Import files and folders into the store (the work behind `kansa import`): every file is
 * read by the files source, each batch goes through `ingestBatch`, and the counts are kept per
 * file and in total. One bad record or one unreadable file never stops the rest.
 */
import type { Logger } from "../core/logger.ts";
import type { Rejection } from "../core/types.ts";
import type { NormalizeOptions } from "../normalize/options.ts";
import { readFiles, type TenantSettings } from "../sources/files/index.ts";
import type { Database } from "../store/database.ts";
import { ingestBatch } from "./ingest.ts";

export interface ImportCounts {
  /** Records found (including those rejected). */
  read: number;
  stored: number;
  duplicates: number;
  rejected: number;
}

export interface FileImportResult extends ImportCounts {
  file: string;
  /** What the file was read as (e.g. "console CSV, Shift-JIS"), or null when it could not be read. */
  format: string | null;
  /** Why the file could not be read at all. */
  error: string | null;
  /** Each rejected record: line or record number and reason (at most KEPT_REJECTIONS, the rest counted). */
  rejections: { locator: string; reason: string }[];
}

export interface ImportResult {
  files: FileImportResult[];
  total: ImportCounts & { files: number; unreadable: number };
}

export interface ImportOptions {
  normalize: NormalizeOptions;
  tenants: TenantSettings;
  log: Logger;
  /** Records per batch (default 1000). */
  batchSize?: number;
  /** Called when a file is done (progress). */
  onFile?: (result: FileImportResult) => void;
}

/** Rejections kept per file for the summary; more are only counted. */
export const KEPT_REJECTIONS = 10_000;

/** The first number in a locator ("line 12", "record 3 (line 9)"), for sorting. */
function positionOf(locator: string): number {
  const m = /\d+/.exec(locator);
  return m ? Number(m[0]) : 0;
}

/** Import every file under `paths` into `db` (see the module comment). */
export async function importFiles(db: Database, paths: string[], options: ImportOptions): Promise<ImportResult> {
  const files: FileImportResult[] = [];
  let current: FileImportResult | null = null;
  const byFile = new Map<string, FileImportResult>();
  const entry = (file: string): FileImportResult => {
    let e = byFile.get(file);
    if (!e) {
      e = { file, format: null, error: null, read: 0, stored: 0, duplicates: 0, rejected: 0, rejections: [] };
      byFile.set(file, e);
      files.push(e);
    }
    return e;
  };
  const reject = (e: FileImportResult, list: Rejection[]) => {
    e.rejected += list.length;
    for (const r of list) if (e.rejections.length < KEPT_REJECTIONS) e.rejections.push({ locator: r.locator, reason: r.reason });
  };
  const done = (e: FileImportResult | null) => {
    if (!e) return;
    // Reading and normalising reject at different moments: list them in file order.
    e.rejections.sort((a, b) => positionOf(a.locator) - positionOf(b.locator));
    if (options.onFile) options.onFile(e);
  };

  for await (const item of readFiles(paths, { ...options.tenants, batchSize: options.batchSize })) {
    switch (item.kind) {
      case "file-start":
        current = entry(item.file);
        break;
      case "batch": {
        const e = entry(item.file);
        e.read += item.read;
        reject(e, item.rejections);
        const stats = await ingestBatch(db, item.batch, { normalize: options.normalize, log: options.log });
        e.stored += stats.stored;
        e.duplicates += stats.duplicates;
        reject(e, stats.rejections);
        break;
      }
      case "file-end": {
        const e = entry(item.file);
        e.format = item.detail;
        done(e);
        current = null;
        break;
      }
      case "file-error": {
        const e = entry(item.file);
        e.error = item.reason;
        done(e);
        current = null;
        break;
      }
    }
  }
  done(current);
  const total = { files: files.length, unreadable: 0, read: 0, stored: 0, duplicates: 0, rejected: 0 };
  for (const f of files) {
    total.read += f.read;
    total.stored += f.stored;
    total.duplicates += f.duplicates;
    total.rejected += f.rejected;
    if (f.error) total.unreadable += 1;
  }
  return { files, total };
}
