/**
 * Reading stored events for detection and the report: the events of one source and tenant in a
 * time range (a day, a month), only the columns needed, ordered by time; the fingerprint of a
 * month (to know when a baseline is stale); and which source+tenant pairs exist. Driver-level
 * SQL, because a month can hold 300,000 events and Prisma's row objects would be slower.
 */
import type { TimeRange } from "../core/types.ts";
import type { Database } from "./database.ts";

export interface SourceTenant {
  source: string;
  tenant: string;
}

/** The columns of an event that sections, scoring and encoding use (no raw, no user agent). */
export interface EventRow {
  id: number;
  source: string;
  tenant: string;
  externalId: string;
  occurredAt: Date;
  ingestedAt: Date;
  account: string;
  action: string;
  ip: string;
  ipParsed: string | null;
  appId: string | null;
  appName: string | null;
  level: string | null;
  result: string | null;
  isExport: boolean;
  isCritical: boolean;
  isLogin: boolean;
  isFailedLogin: boolean;
}

/** The columns encoding needs (a month of them is loaded to fit a baseline). */
export type EncodingRow = Pick<EventRow, "source" | "tenant" | "occurredAt" | "account" | "action" | "ip" | "ipParsed" | "appId" | "result" | "isLogin" | "isFailedLogin">;

const LISTING_COLUMNS = `"id", "source", "tenant", "externalId", "occurredAt", "ingestedAt", "account", "action", "ip", "ipParsed",
  "appId", "appName", "level", "result", "isExport", "isCritical", "isLogin", "isFailedLogin"`;
const ENCODING_COLUMNS = `"source", "tenant", "occurredAt", "account", "action", "ip", "ipParsed", "appId", "result", "isLogin", "isFailedLogin"`;
const IN_RANGE = `"source" = $1 AND "tenant" = $2 AND "occurredAt" >= $3 AND "occurredAt" < $4`;

function asDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

/** Events of `scope` with from ≤ occurredAt < to, oldest first (ties by id), all listing columns. */
export async function loadEvents(db: Database, scope: SourceTenant, range: TimeRange): Promise<EventRow[]> {
  const rows = await db.query<EventRow>(
    `SELECT ${LISTING_COLUMNS} FROM "AuditEvent" WHERE ${IN_RANGE} ORDER BY "occurredAt", "id"`,
    [scope.source, scope.tenant, range.from, range.to],
  );
  for (const row of rows) {
    row.occurredAt = asDate(row.occurredAt);
    row.ingestedAt = asDate(row.ingestedAt);
    row.id = Number(row.id);
  }
  return rows;
}

/** Events of `scope` in the range with only the columns encoding needs, oldest first. */
export async function loadEncodingEvents(db: Database, scope: SourceTenant, range: TimeRange): Promise<EncodingRow[]> {
  const rows = await db.query<EncodingRow>(
    `SELECT ${ENCODING_COLUMNS} FROM "AuditEvent" WHERE ${IN_RANGE} ORDER BY "occurredAt", "id"`,
    [scope.source, scope.tenant, range.from, range.to],
  );
  for (const row of rows) row.occurredAt = asDate(row.occurredAt);
  return rows;
}

export interface RangeFingerprint {
  count: number;
  /** The latest ingestedAt among the range's events; null when there are none. */
  latestIngestedAt: Date | null;
}

/** How many events `scope` has in the range and when the last of them was stored. */
export async function rangeFingerprint(db: Database, scope: SourceTenant, range: TimeRange): Promise<RangeFingerprint> {
  const rows = await db.query<{ n: number | string; latest: Date | string | null }>(
    `SELECT count(*)::int AS n, max("ingestedAt") AS latest FROM "AuditEvent" WHERE ${IN_RANGE}`,
    [scope.source, scope.tenant, range.from, range.to],
  );
  const row = rows[0];
  return { count: Number(row?.n ?? 0), latestIngestedAt: row?.latest ? asDate(row.latest) : null };
}

/**
 * The source+tenant pairs with stored events, sorted; with `range`, only pairs with events in
 * it (each pair's events counted in `count`).
 */
export async function listSourceTenants(db: Database, range?: TimeRange): Promise<(SourceTenant & { count: number })[]> {
  const rows = range
    ? await db.query<{ source: string; tenant: string; n: number }>(
        `SELECT "source", "tenant", count(*)::int AS n FROM "AuditEvent" WHERE "occurredAt" >= $1 AND "occurredAt" < $2
         GROUP BY "source", "tenant" ORDER BY "source", "tenant"`,
        [range.from, range.to],
      )
    : await db.query<{ source: string; tenant: string; n: number }>(
        `SELECT "source", "tenant", count(*)::int AS n FROM "AuditEvent" GROUP BY "source", "tenant" ORDER BY "source", "tenant"`,
      );
  return rows.map((r) => ({ source: r.source, tenant: r.tenant, count: Number(r.n) }));
}
