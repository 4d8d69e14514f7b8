/**
 * Ingest one raw batch: normalise, store, and log each rejection. The collect orchestrator,
 * the sources' runs and `kansa import` all call this, so every path stores the same way.
 */
import type { Logger } from "../core/logger.ts";
import type { CollectStats, RawBatch, Rejection } from "../core/types.ts";
import { normalizeBatch } from "../normalize/index.ts";
import { definitionOf } from "../sources/registry.ts";
import type { Config } from "../core/config.ts";
import type { Database } from "../store/database.ts";
import { storeEvents } from "../store/events.ts";

export interface IngestOptions {
  config: Config;
  log: Logger;
}

/**
 * Normalise `batch`, store its events, and log each rejection (warn, with origin, locator and
 * reason). `collected` counts the batch's records; `rejected` those that could not be
 * normalised (returned in `rejections`). Throws StoreError when the database refuses a write.
 */
export async function ingestBatch(db: Database, batch: RawBatch, options: IngestOptions): Promise<CollectStats & { rejections: Rejection[] }> {
  const collected = batch.records.length;
  const { events, rejections } = normalizeBatch(batch, definitionOf(batch).normalize, options.config);
  for (const r of rejections) options.log.warn({ origin: r.origin, locator: r.locator, reason: r.reason }, "rejected a record");
  const { stored, duplicates } = events.length > 0 ? await storeEvents(db, events) : { stored: 0, duplicates: 0 };
  return { collected, stored, duplicates, rejected: rejections.length, rejections };
}
