/**
 * Import files and folders into the store (the work behind `kansa import`): every file is
 * read by the files reader in the format of the source it belongs to, normalised by that source
 * and stored, and the counts are kept per file and in
 * total. One bad record or one unreadable file never stops the rest.
 */
import type { Logger } from "../core/logger.ts";
import { type AuditEvent, type CollectStats, type Rejection, pairKey } from "../core/types.ts";
import type { Config } from "../core/config.ts";
import { readFiles } from "../sources/files/index.ts";
import { definitionOf, fileFormats } from "../sources/registry.ts";
import type { Database } from "../store/database.ts";
import { normalizeBatch } from "../normalize/index.ts";
import { storeEvents } from "../store/events.ts";

/** A collection's counters, with `read` (records found in the files, rejected ones included) for `collected`. */
export interface ImportCounts extends Omit<CollectStats, "collected"> {
  read: number;
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
  /** The configuration: each source's normaliser reads its rules from it, and its files' tenant. */
  config: Config;
  /** `--tenant`: the tenant of every file, whatever its source. */
  tenant?: string | undefined;
  log: Logger;
  /** Records per batch (default READ_BATCH). */
  batchSize?: number;
  /** Called when a file is done (progress). */
  onFile?: (result: FileImportResult) => void;
  /**
   * Called once per source+tenant, before its first events are stored (`kansa import --org`
   * records the tenant as the organisation's, and throws when another organisation holds it).
   */
  claim?: (pair: { source: string; tenant: string }) => Promise<void>;
}

/** Rejections kept for the summary, per file and in all (a folder of bad files must not pile them up); more are only counted. */
export const KEPT_REJECTIONS = 10_000;

/**
 * Records read per batch, and events per write. Small enough that a batch dies young: with
 * 2,000, an import of 322k events peaked at 274 MB RSS (heap 106 MB), with 500 at 246 MB (heap
 * 83 MB), for the same CPU time and the same PostgreSQL time.
 */
const READ_BATCH = 500;

/** The first number in a locator ("line 12", "record 3 (line 9)"), for sorting. */
function positionOf(locator: string): number {
  const m = /\d+/.exec(locator);
  return m ? Number(m[0]) : 0;
}

/** Events per write: small files (a Firehose folder holds thousands) are written together. */
const WRITE_EVENTS = READ_BATCH;

/**
 * Writes in flight while the next files are read. PostgreSQL stores in a server process of its
 * own: two writes keep it busy while this process parses the next batch. PGlite stores in this
 * thread, where a second write has nothing to overlap with.
 */
const WRITES_IN_FLIGHT = { postgres: 2, pglite: 1 } as const;

interface FileState {
  /** Events normalised but not yet written. */
  pending: number;
  ended: boolean;
  reported: boolean;
}

/**
 * Import every file under `paths` into `db` (see the module comment). Normalises like
 * `ingestBatch`, but writes events of consecutive files together (WRITE_EVENTS at a time) and
 * counts stored and duplicates per file from what the store says it inserted. Writes are in
 * flight while the next files are read (see WRITES_IN_FLIGHT), so parsing and the database overlap.
 */
export async function importFiles(db: Database, paths: string[], options: ImportOptions): Promise<ImportResult> {
  const files: FileImportResult[] = [];
  const states = new Map<FileImportResult, FileState>();
  const byFile = new Map<string, FileImportResult>();
  const entry = (file: string): FileImportResult => {
    let e = byFile.get(file);
    if (!e) {
      e = { file, format: null, error: null, read: 0, stored: 0, duplicates: 0, rejected: 0, rejections: [] };
      byFile.set(file, e);
      files.push(e);
      states.set(e, { pending: 0, ended: false, reported: false });
    }
    return e;
  };
  let kept = 0;
  const reject = (e: FileImportResult, list: Rejection[]) => {
    e.rejected += list.length;
    for (const r of list) {
      if (kept >= KEPT_REJECTIONS) break;
      e.rejections.push({ locator: r.locator, reason: r.reason });
      kept += 1;
    }
  };
  const maybeDone = (e: FileImportResult) => {
    const state = states.get(e)!;
    if (!state.ended || state.pending > 0 || state.reported) return;
    state.reported = true;
    // Reading and normalising reject at different moments: list them in file order.
    e.rejections.sort((a, b) => positionOf(a.locator) - positionOf(b.locator));
    options.onFile?.(e);
  };

  const claimed = new Set<string>();
  let pending: { events: AuditEvent[]; owners: FileImportResult[] } = { events: [], owners: [] };
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  /** Wait until fewer than `most` writes are in flight; rethrow a write's failure. */
  const settle = async (most = 1): Promise<void> => {
    while (inFlight.size >= most) await Promise.race(inFlight);
    if (failure) throw failure.error;
  };
  const write = async (): Promise<void> => {
    await settle(WRITES_IN_FLIGHT[db.kind]); // a bounded number of writes in flight: memory stays flat
    if (pending.events.length === 0) return;
    const { events, owners } = pending;
    pending = { events: [], owners: [] };
    const writing: Promise<void> = storeEvents(db, events, { reportInserted: true }).then(
      (result) => {
        const inserted = result.inserted!;
        for (let i = 0; i < owners.length; i++) {
          const owner = owners[i]!;
          if (inserted[i]) owner.stored += 1;
          else owner.duplicates += 1;
          states.get(owner)!.pending -= 1;
        }
        for (const owner of new Set(owners)) maybeDone(owner);
      },
      (error: unknown) => {
        failure ??= { error };
      },
    ).finally(() => inFlight.delete(writing));
    inFlight.add(writing);
  };

  for await (const item of readFiles(paths, { formats: fileFormats(), config: options.config, tenant: options.tenant, batchSize: options.batchSize ?? READ_BATCH })) {
    switch (item.kind) {
      case "file-start":
        entry(item.file);
        break;
      case "batch": {
        const e = entry(item.file);
        const pair = pairKey(item.batch);
        if (options.claim && !claimed.has(pair)) {
          await options.claim({ source: item.batch.source, tenant: item.batch.tenant });
          claimed.add(pair);
        }
        e.read += item.read;
        reject(e, item.rejections);
        const { events, rejections } = normalizeBatch(item.batch, definitionOf(item.batch).normalize, options.config);
        for (const r of rejections) options.log.warn({ origin: r.origin, locator: r.locator, reason: r.reason }, "rejected a record");
        reject(e, rejections);
        states.get(e)!.pending += events.length;
        for (const event of events) {
          pending.events.push(event);
          pending.owners.push(e);
        }
        if (pending.events.length >= WRITE_EVENTS) await write();
        break;
      }
      case "file-end": {
        const e = entry(item.file);
        e.format = item.detail;
        states.get(e)!.ended = true;
        maybeDone(e);
        break;
      }
      case "file-error": {
        const e = entry(item.file);
        e.error = item.reason;
        states.get(e)!.ended = true;
        maybeDone(e);
        break;
      }
    }
  }
  await write();
  await settle(1);
  for (const e of files) {
    // a file whose reading stopped without an end (cannot happen today) is still reported
    states.get(e)!.ended = true;
    maybeDone(e);
  }
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
