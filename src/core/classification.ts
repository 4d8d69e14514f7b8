/**
 * The sections an event belongs to, as one source's classification rules decide them (each source
 * declares its rules in its folder: src/sources/<name>/classification.ts). The same rules set the
 * flags stored when an event is normalised and the flags the report uses, where they are applied
 * again under the current configuration to the stored event: a type taken off a critical list
 * un-flags the events already stored.
 */
import type { AuditEvent } from "./types.ts";

/** The section flags of one event. */
export interface EventFlags {
  isExport: boolean;
  isCritical: boolean;
  isLogin: boolean;
  isFailedLogin: boolean;
}

/** What classification reads: the stored fields and the record as received (`raw`). */
export type ClassifiableEvent = Pick<AuditEvent, "action" | "level" | "result" | "raw">;

/** The stored flags of an event (for an event whose source is no longer registered). */
export function storedFlags(event: EventFlags): EventFlags {
  return { isExport: event.isExport, isCritical: event.isCritical, isLogin: event.isLogin, isFailedLogin: event.isFailedLogin };
}
