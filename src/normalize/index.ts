/**
 * Normalise: raw batches from any source → AuditEvents, plus a rejection for each record that
 * cannot be normalised (with its origin, locator and reason). Pure functions; no I/O.
 */
import type { AuditEvent, RawBatch, Rejection } from "../core/types.ts";
import { normalizeAuth0Event } from "../sources/auth0/normalize.ts";
import { normalizeConsoleRow } from "../sources/kintone/normalize.ts";
import type { NormalizeOptions } from "./options.ts";

export type { NormalizeOptions } from "./options.ts";
export type { NormalizeResult } from "../core/types.ts";
export { normalizeOptionsFrom } from "./options.ts";
export { normalizeConsoleRow, consoleRowId } from "../sources/kintone/normalize.ts";
export { normalizeAuth0Event, unwrapAuth0Envelope, AUTH0_LOGIN_TYPES, AUTH0_FAILED_LOGIN_TYPES } from "../sources/auth0/normalize.ts";
export { parseIp } from "../core/ip-address.ts";
export { parseTimestamp, parseTimeString, fromEpochNumber } from "./timestamps.ts";
export { parseComplement } from "./complement.ts";

/**
 * Normalise every record of a batch. Console rows become source "kintone", Auth0 records source
 * "auth0", all with the batch's tenant. Never throws on record content: a record without a
 * readable time, or that is not an object, becomes a rejection.
 */
export function normalizeBatch(batch: RawBatch, options: NormalizeOptions): { events: AuditEvent[]; rejections: Rejection[] } {
  const events: AuditEvent[] = [];
  const rejections: Rejection[] = [];
  if (batch.format === "console-rows") {
    for (const row of batch.rows) {
      const result = normalizeConsoleRow(row, batch.tenant, batch.origin, options);
      if (result.ok) events.push(result.event);
      else rejections.push(result.rejection);
    }
  } else {
    for (const { record, locator } of batch.records) {
      const result = normalizeAuth0Event(record, batch.tenant, locator, options, batch.origin);
      if (result.ok) events.push(result.event);
      else rejections.push(result.rejection);
    }
  }
  return { events, rejections };
}
