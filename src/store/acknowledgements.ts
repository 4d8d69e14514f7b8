/**
 * The Acknowledgement table: each `kansa ack` stores which finding was marked expected, the
 * day of its report, why, by whom, when, and the finding's events (source, tenant, externalId).
 * The report marks a finding expected when its id or all its events were acknowledged
 * (src/report/suppress.ts), and later baselines count the acknowledged events as ordinary
 * (src/detect/acknowledged-rows.ts). Also here: finding a finding by id in the stored reports.
 */
import type { Database } from "./database.ts";
import type { EncodingRow, SourceTenant } from "./event-queries.ts";
import type { TimeRange } from "../core/types.ts";
import { isMobileAgent } from "../core/mobile-agent.ts";
import { now as clockNow } from "../core/clock.ts";

/** An event named by what identifies it in the store. */
export interface EventKey {
  source: string;
  tenant: string;
  externalId: string;
}

export interface Acknowledgement {
  id: number;
  findingId: string;
  /** The reported day of the finding's report (YYYY-MM-DD). */
  day: string;
  reason: string;
  /** The operating-system user who acknowledged it, or "cli". */
  by: string;
  createdAt: Date;
  events: EventKey[];
}

export type AcknowledgementInput = Omit<Acknowledgement, "id" | "createdAt"> & { createdAt?: Date };

function isEventKey(value: unknown): value is EventKey {
  const v = value as Partial<Record<keyof EventKey, unknown>> | null;
  return typeof v === "object" && v !== null && typeof v.source === "string" && typeof v.tenant === "string" && typeof v.externalId === "string";
}

/** The event keys of a stored JSON value, skipping anything that is not one. */
function eventKeys(value: unknown): EventKey[] {
  return Array.isArray(value) ? value.filter(isEventKey).map((e) => ({ source: e.source, tenant: e.tenant, externalId: e.externalId })) : [];
}

/** Store an acknowledgement (createdAt: the clock's now unless given). */
export async function addAcknowledgement(db: Database, input: AcknowledgementInput): Promise<Acknowledgement> {
  const row = await db.prisma.acknowledgement.create({
    data: {
      findingId: input.findingId, day: input.day, reason: input.reason, by: input.by,
      createdAt: input.createdAt ?? clockNow(),
      events: eventKeys(input.events).map((e) => ({ ...e })),
    },
  });
  return { ...row, events: eventKeys(row.events) };
}

/** Stored acknowledgements, most recent first; `limit` caps how many. */
export async function listAcknowledgements(db: Database, options: { limit?: number } = {}): Promise<Acknowledgement[]> {
  const rows = await db.prisma.acknowledgement.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...(options.limit !== undefined ? { take: options.limit } : {}),
  });
  return rows.map((row) => ({ ...row, events: eventKeys(row.events) }));
}

/** A finding as a stored report holds it: its id, its report's day, and its events' keys. */
export interface StoredFinding {
  id: string;
  day: string;
  events: EventKey[];
}

/**
 * The finding with `id` in the stored reports (the `findings` of the Report table's models), from
 * the most recently stored report that has it; null when none has it.
 */
export async function findStoredFinding(db: Database, id: string): Promise<StoredFinding | null> {
  const rows = await db.query<{ day: string; events: unknown }>(
    `SELECT r."day", f->'events' AS events
       FROM "Report" r,
            jsonb_array_elements(CASE WHEN jsonb_typeof(r."model"->'findings') = 'array' THEN r."model"->'findings' ELSE '[]'::jsonb END) f
      WHERE f->>'id' = $1
      ORDER BY r."createdAt" DESC, r."id" DESC
      LIMIT 1`,
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  const events = typeof row.events === "string" ? (JSON.parse(row.events) as unknown) : row.events;
  return { id, day: row.day, events: eventKeys(events) };
}

/**
 * The acknowledged events of `scope` that occurred in `range`, with the columns encoding needs,
 * oldest first. An event acknowledged twice is read once. The acknowledgements' keys lead to the
 * events through their unique index: the range's other events are never read.
 */
export async function loadAcknowledgedEvents(db: Database, scope: SourceTenant, range: TimeRange): Promise<(EncodingRow & { externalId: string })[]> {
  const rows = await db.query<{
    id: number; externalId: string; occurredAt: Date | string; account: string; action: string; ip: string; ipParsed: string | null; appId: string | null;
    result: string | null; isLogin: boolean; isFailedLogin: boolean; userAgent: string;
  }>(
    `SELECT DISTINCT ON (e."id") e."id", e."externalId", e."occurredAt", e."account", e."action", e."ip", e."ipParsed", e."appId", e."result",
            e."isLogin", e."isFailedLogin", e."userAgent"
       FROM "Acknowledgement" a
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(a."events") = 'array' THEN a."events" ELSE '[]'::jsonb END) k
       JOIN "AuditEvent" e ON e."source" = k->>'source' AND e."tenant" = k->>'tenant' AND e."externalId" = k->>'externalId'
      WHERE k->>'source' = $1 AND k->>'tenant' = $2 AND e."occurredAt" >= $3 AND e."occurredAt" < $4
      ORDER BY e."id"`,
    [scope.source, scope.tenant, range.from, range.to],
  );
  const at = (r: (typeof rows)[number]) => new Date(r.occurredAt).getTime();
  rows.sort((a, b) => at(a) - at(b) || a.id - b.id);
  return rows.map((r) => ({
    source: scope.source, tenant: scope.tenant, externalId: r.externalId,
    occurredAt: r.occurredAt instanceof Date ? r.occurredAt : new Date(r.occurredAt),
    account: r.account, action: r.action, ip: r.ip, ipParsed: r.ipParsed, appId: r.appId, result: r.result,
    isLogin: r.isLogin, isFailedLogin: r.isFailedLogin, isMobile: isMobileAgent(r.userAgent),
  }));
}
