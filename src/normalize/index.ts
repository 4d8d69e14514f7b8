/**
 * Normalise: raw batches from any source → AuditEvents, plus a rejection for each record that
 * cannot be normalised (with its origin, locator and reason). Pure functions; no I/O. Each
 * source's own normaliser is in its folder (src/sources/<name>/normalize.ts); the helpers they
 * share (times, addresses, JSON bounds, hashes) are here.
 */
import type { AuditEvent, NormalizeResult, RawBatch, RawRecord, Rejection } from "../core/types.ts";
import type { Config } from "../core/config.ts";

export type { NormalizeResult } from "../core/types.ts";
export { parseIp } from "../core/ip-address.ts";
export { parseTimestamp, parseTimeString, fromEpochNumber } from "./timestamps.ts";

/** A source's normaliser of one record (SourceDefinition.normalize). */
export type RecordNormalizer = (item: RawRecord, batch: RawBatch, config: Config) => NormalizeResult;

/**
 * Normalise every record of a batch with its source's normaliser. Never throws on record
 * content: a record the normaliser cannot read becomes a rejection.
 */
export function normalizeBatch(batch: RawBatch, normalize: RecordNormalizer, config: Config): { events: AuditEvent[]; rejections: Rejection[] } {
  const events: AuditEvent[] = [];
  const rejections: Rejection[] = [];
  for (const item of batch.records) {
    const result = normalize(item, batch, config);
    if (result.ok) events.push(result.event);
    else rejections.push(result.rejection);
  }
  return { events, rejections };
}
