/** What the store holds, for `kansa status`: events per source and tenant, cursors, last runs. */
import type { SourceTenant } from "./event-queries.ts";
import type { Database } from "./database.ts";
import { cursorAgeHours } from "./cursors.ts";
import { markInterruptedRuns } from "./runs.ts";
import { now as clockNow } from "../core/clock.ts";
import { pairKey } from "../core/types.ts";

export interface SourceStatus {
  source: string;
  tenant: string;
  events: number;
  firstEventAt: Date | null;
  lastEventAt: Date | null;
  /** When the latest event was stored. */
  lastIngestedAt: Date | null;
  /** The stored cursor (resume point), null when the source has none. */
  cursor: string | null;
  cursorUpdatedAt: Date | null;
  /** The cursor's age (cursorAgeHours: hours since the last successful pull), to 0.1 h; null before one. */
  cursorAgeHours: number | null;
  /** When a pull of this source last finished without error. */
  lastSuccessAt: Date | null;
  /** The organisation of KANSA_CONFIG it belongs to, when one claimed it. */
  organisation?: string;
}

export interface RunStatus {
  id: number;
  kind: string;
  day: string | null;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  stats: unknown;
}

export interface StoreStatus {
  /** The database in use (embedded path, or server host and database; never a password). */
  database: string;
  totalEvents: number;
  sources: SourceStatus[];
  /**
   * The latest run of each kind (import, run, collect, backfill...), newest first. A run whose
   * process is gone shows (and is recorded) as "interrupted", never as "running".
   */
  lastRuns: RunStatus[];
}

function toTenth(hours: number | null): number | null {
  return hours === null ? null : Math.round(hours * 10) / 10;
}

function asDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(String(value));
}

/**
 * Read the status of the store (a few aggregate queries; cheap even on millions of events).
 * Runs left "running" by a process that is gone are marked "interrupted" first.
 */
export async function readStoreStatus(db: Database, now: Date = clockNow(), organisation?: { name: string; scopes: readonly SourceTenant[] }): Promise<StoreStatus> {
  const eventRows = await db.query<{ source: string; tenant: string; n: number; first: unknown; last: unknown; ingested: unknown }>(
    `SELECT "source", "tenant", count(*)::int AS n, min("occurredAt") AS first, max("occurredAt") AS last, max("ingestedAt") AS ingested
     FROM "AuditEvent" GROUP BY "source", "tenant" ORDER BY "source", "tenant"`,
  );
  const cursors = await db.prisma.sourceCursor.findMany({ orderBy: [{ source: "asc" }, { tenant: "asc" }] });
  const byKey = new Map<string, SourceStatus>();
  for (const r of eventRows) {
    byKey.set(pairKey(r), {
      source: r.source, tenant: r.tenant, events: Number(r.n),
      firstEventAt: asDate(r.first), lastEventAt: asDate(r.last), lastIngestedAt: asDate(r.ingested),
      cursor: null, cursorUpdatedAt: null, cursorAgeHours: null, lastSuccessAt: null,
    });
  }
  for (const c of cursors) {
    const key = pairKey(c);
    const entry = byKey.get(key) ?? {
      source: c.source, tenant: c.tenant, events: 0, firstEventAt: null, lastEventAt: null, lastIngestedAt: null,
      cursor: null, cursorUpdatedAt: null, cursorAgeHours: null, lastSuccessAt: null,
    };
    entry.cursor = c.cursor === "" ? null : c.cursor;
    entry.cursorUpdatedAt = c.updatedAt;
    entry.cursorAgeHours = toTenth(cursorAgeHours(c, now));
    entry.lastSuccessAt = c.lastSuccessAt;
    byKey.set(key, entry);
  }
  const owners = await db.query<{ source: string; tenant: string; org: string }>(`SELECT "source", "tenant", "org" FROM "OrganisationTenant"`);
  for (const o of owners) {
    const entry = byKey.get(pairKey(o));
    if (entry) entry.organisation = o.org;
  }
  const own = organisation ? new Set(organisation.scopes.map(pairKey)) : null;
  const sources = [...byKey.values()]
    .filter((s) => own === null || own.has(pairKey(s)))
    .sort((a, b) => (a.source + a.tenant < b.source + b.tenant ? -1 : 1));
  await markInterruptedRuns(db);
  const runs = await db.query<{ id: number; kind: string; day: string | null; status: string; startedAt: unknown; finishedAt: unknown; stats: unknown }>(
    `SELECT * FROM (SELECT DISTINCT ON ("kind") "id", "kind", "day", "status", "startedAt", "finishedAt", "stats"
     FROM "Run" ${organisation ? `WHERE "org" = $1` : ""} ORDER BY "kind", "startedAt" DESC, "id" DESC) latest ORDER BY "startedAt" DESC`,
    organisation ? [organisation.name] : [],
  );
  return {
    database: db.describe,
    totalEvents: sources.reduce((sum, s) => sum + s.events, 0),
    sources,
    lastRuns: runs.map((r) => ({
      id: Number(r.id), kind: r.kind, day: r.day, status: r.status,
      startedAt: asDate(r.startedAt) ?? new Date(0), finishedAt: asDate(r.finishedAt),
      stats: typeof r.stats === "string" ? JSON.parse(r.stats) : r.stats,
    })),
  };
}
