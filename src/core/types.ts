/**
 * The shapes that cross stage boundaries: the normalised event, what sources yield,
 * and rejections. The report model (the JSON contract) is in ./report-model.ts.
 */

/** The organisation of the single-organisation settings (no KANSA_CONFIG); also the schema's default. */
export const DEFAULT_ORGANISATION = "default";

/** A source+tenant pair as one map or set key. */
export function pairKey(pair: { source: string; tenant: string }): string {
  return `${pair.source}\u0000${pair.tenant}`;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One audit-log entry, normalised (DESIGN.md, "Normalize"). */
export interface AuditEvent {
  /** The name of the source (src/sources/registry.ts) the event came from. */
  source: string;
  /** The source's tenant (a console host, an API tenant domain). */
  tenant: string;
  /** The source's id, or a stable hash of the raw record where the source has none. */
  externalId: string;
  /** When it happened, as a UTC instant. */
  occurredAt: Date;
  /** Login name / user_name; "" when none. */
  account: string;
  action: string;
  /** The address exactly as the log gave it ("" when none). */
  ip: string;
  /** Canonical form (dotted IPv4, or compressed IPv6), null when unparsable or empty. */
  ipParsed: string | null;
  /** The application the event concerns (an app number, a client id), as the source names it; null when absent. */
  appId: string | null;
  appName: string | null;
  userAgent: string;
  /** The severity as the source gives it; null when it gives none. */
  level: string | null;
  /** The outcome as the source words it (SUCCESS, failure, ...); null when it does not say. */
  result: string | null;
  isExport: boolean;
  isCritical: boolean;
  /** A successful login. */
  isLogin: boolean;
  /** A failed login attempt. */
  isFailedLogin: boolean;
  /** The original record, kept whole (unknown fields included). */
  raw: JsonObject;
}

/** A stored event: the normalised event plus what the store adds. */
export interface StoredEvent extends AuditEvent {
  id: number;
  ingestedAt: Date;
}

/** One record normalised: the event, or why it could not be. */
export type NormalizeResult = { ok: true; event: AuditEvent } | { ok: false; rejection: Rejection };

/** A half-open instant range [from, to). */
export interface TimeRange {
  from: Date;
  to: Date;
}

/** A record that could not be read or normalised: where it was and why. */
export interface Rejection {
  /** File path, URL or source step the record came from. */
  origin: string;
  /** Line number (CSV), record number (JSON) or other locator. */
  locator: string;
  reason: string;
}

/** One record as a source read it, with where it was (line, record, page...) for a rejection. */
export interface RawRecord {
  record: unknown;
  locator: string;
}

/**
 * What a source yields: raw records of one source and tenant, plus the cursor to store once the
 * batch is stored (store-then-advance). The run orchestrator normalises and stores batches;
 * sources never touch the database.
 */
export interface RawBatch {
  /** The name of the source whose `normalize` reads these records. */
  source: string;
  records: RawRecord[];
  /** File path, URL or source step the records came from. */
  origin: string;
  tenant: string;
  cursor?: string;
}

/** Counters every collection reports: the one counter shape (collect, import, the report's source health). */
export interface CollectStats {
  collected: number;
  stored: number;
  duplicates: number;
  rejected: number;
}

/** What a source is given to collect with (the contract is src/sources/contract.ts). */
export interface CollectContext {
  /** Where screenshots and saved pages go for this run. */
  artifactsDir: string;
  signal?: AbortSignal;
  log: import("pino").Logger;
  /** Counters a source may add to (pages, retries...). */
  stats: Record<string, number>;
  /** Warnings for the report's source health. */
  warnings: string[];
  /** Sentences on entries the source may have lost because its own retention ran out (retention-gap alarms). */
  gaps: string[];
  /** When the previous pull of this source finished without error (absent before the first). */
  previousSuccessAt?: Date;
}
