/**
 * Runs one source for a range: reads its cursor, ingests every batch it yields, and advances
 * the cursor only after the batch is stored (store-then-advance: a crash in between re-reads a
 * batch and stores nothing twice). A failing source is captured in the result, never thrown,
 * so that one source never stops the others.
 */
import { join } from "node:path";
import type { Config } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import type { CollectContext, CollectStats, Rejection, TimeRange } from "../core/types.ts";
import type { Source } from "../sources/contract.ts";
import { KansaError, errorMessage } from "../core/errors.ts";
import type { Database } from "../store/database.ts";
import { cursorAgeHours, markSourceSuccess, readCursor, saveCursor } from "../store/cursors.ts";
import { ingestBatch } from "./ingest.ts";
import { now as clockNow } from "../core/clock.ts";

export interface CollectSourceOptions {
  range: TimeRange;
  config: Config;
  log: Logger;
  /** Folder of this run's artifacts; the source gets `<artifactsDir>/<source>`. */
  artifactsDir: string;
  signal?: AbortSignal;
  /** Called after each stored batch whose cursor was saved (progress, resumable backfills). */
  onCursor?: (cursor: string) => Promise<void> | void;
}

export interface SourceRunResult extends CollectStats {
  source: string;
  tenant: string;
  /** The first rejections (the rest are counted in `rejected`). */
  rejections: Rejection[];
  errors: string[];
  warnings: string[];
  /** Entries the source may have lost (its retention ran out); see CollectContext.gaps. */
  gaps: string[];
  /** Source-specific counters (pages, retries, downloads...). */
  stats: Record<string, number>;
  cursor: string | null;
  /** Hours since the source last finished a pull without error; null before the first. */
  cursorAgeHours: number | null;
  durationMs: number;
}

const KEPT_REJECTIONS = 100;

/** Collect `source` over `options.range` into `db`. */
export async function collectSource(db: Database, source: Source, options: CollectSourceOptions): Promise<SourceRunResult> {
  const started = Date.now();
  const log = options.log.child({ source: source.name, tenant: source.tenant });
  const previous = await readCursor(db, source.name, source.tenant);
  const result: SourceRunResult = {
    source: source.name,
    tenant: source.tenant,
    collected: 0,
    stored: 0,
    duplicates: 0,
    rejected: 0,
    rejections: [],
    errors: [],
    warnings: [],
    gaps: [],
    stats: {},
    cursor: previous?.cursor || null,
    cursorAgeHours: cursorAgeHours(previous, clockNow()),
    durationMs: 0,
  };
  const context: CollectContext = {
    artifactsDir: join(options.artifactsDir, source.name),
    log,
    stats: result.stats,
    warnings: result.warnings,
    gaps: result.gaps,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(previous?.lastSuccessAt ? { previousSuccessAt: previous.lastSuccessAt } : {}),
  };
  log.info({ from: options.range.from.toISOString(), to: options.range.to.toISOString(), cursor: result.cursor }, "collecting");
  try {
    for await (const batch of source.collect(options.range, result.cursor, context)) {
      const ingested = await ingestBatch(db, batch, { config: options.config, log });
      result.collected += ingested.collected;
      result.stored += ingested.stored;
      result.duplicates += ingested.duplicates;
      result.rejected += ingested.rejected;
      for (const rejection of ingested.rejections) {
        if (result.rejections.length < KEPT_REJECTIONS) result.rejections.push(rejection);
      }
      if (batch.cursor !== undefined) {
        await saveCursor(db, source.name, source.tenant, batch.cursor);
        result.cursor = batch.cursor;
        await options.onCursor?.(batch.cursor);
      }
    }
    await markSourceSuccess(db, source.name, source.tenant, clockNow());
    result.cursorAgeHours = 0;
  } catch (error) {
    if (options.signal?.aborted) {
      // Stopped on request (Ctrl-C), not failed: what was stored and its cursor stand.
      log.info("stopped on request");
      result.durationMs = Date.now() - started;
      return result;
    }
    const code = error instanceof KansaError ? ` [${error.code}]` : "";
    const message = `${source.name} (${source.tenant}): ${errorMessage(error)}${code}`;
    result.errors.push(message);
    log.error({ err: errorMessage(error) }, "source failed");
  }
  for (const warning of [...result.gaps, ...result.warnings]) log.warn(warning);
  result.durationMs = Date.now() - started;
  log.info(
    { collected: result.collected, stored: result.stored, duplicates: result.duplicates, rejected: result.rejected, ms: result.durationMs },
    "collected",
  );
  return result;
}
