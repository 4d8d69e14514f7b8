/**
 * Reading stored events for detection and the report: the events of one source and tenant in a
 * time range (a day, a month), only the columns needed, ordered by time; the fingerprint of a
 * month (to know when a baseline is stale); and which source+tenant pairs exist. Driver-level
 * SQL, because a month can hold 300,000 events and Prisma's row objects would be slower.
 */
import { MOBILE_AGENT_PATTERN } from "../core/mobile-agent.ts";
import type { AuditEvent, TimeRange } from "../core/types.ts";
import type { Database } from "./database.ts";

export interface SourceTenant {
  source: string;
  tenant: string;
}

/**
 * The columns of a stored event that sections, scoring and encoding use (no user agent, no
 * store ids). `raw` is the record as received: the report classifies the day's events from it
 * under the current rules.
 */
export type EventRow = Pick<
  AuditEvent,
  "source" | "tenant" | "externalId" | "occurredAt" | "account" | "action" | "ip" | "ipParsed" | "appId" | "appName" | "level" | "result" | "isExport" | "isCritical" | "isLogin" | "isFailedLogin" | "raw"
> & {
  /**
   * The user agent is a phone's or a tablet's. Not stored: computed from the user agent as rows
   * are read (see MOBILE_AGENT_PATTERN), so neither a day nor a month is loaded with its
   * user-agent strings.
   */
  isMobile: boolean;
};

/** The columns encoding needs (a month of them is loaded to fit a baseline). */
export type EncodingRow = Pick<EventRow, "source" | "tenant" | "occurredAt" | "account" | "action" | "ip" | "ipParsed" | "appId" | "result" | "isLogin" | "isFailedLogin" | "isMobile">;

const LISTING_COLUMNS = ["source", "tenant", "externalId", "occurredAt", "account", "action", "ip", "ipParsed",
  "appId", "appName", "level", "result", "isExport", "isCritical", "isLogin", "isFailedLogin", "raw", "isMobile"] as const;
const ENCODING_COLUMNS = ["source", "tenant", "occurredAt", "account", "action", "ip", "ipParsed", "appId", "result", "isLogin", "isFailedLogin", "isMobile"] as const;
/** Columns read as an expression over stored ones (the pattern is a constant of ours, not input). */
const COMPUTED: Record<string, string> = { isMobile: `(e."userAgent" ~ '${MOBILE_AGENT_PATTERN}')` };
const DATE_COLUMNS = new Set<string>(["occurredAt"]);
const IN_RANGE = `"source" = $1 AND "tenant" = $2 AND "occurredAt" >= $3 AND "occurredAt" < $4`;

function asDate(value: unknown): Date {
  if (value instanceof Date) return value;
  return new Date(typeof value === "number" ? value : String(value));
}

/** Where a page of a range ends: its last row's time and id (the next page starts after it). */
export interface PageKey {
  at: Date;
  id: number;
}

/**
 * Rows of `scope` in the range, oldest first (ties by id), with `columns`; with `page`, at most
 * `page.limit` of them after `page.after`. The rows travel as one JSON array per column (json_agg
 * over one ordered subquery, so every column sees the rows in the same order): PGlite spends most
 * of a large query building row objects, and this is about ten times faster there for a month of
 * events; PostgreSQL does not mind either way.
 */
async function selectColumns<K extends string>(
  db: Database, columns: readonly K[], scope: SourceTenant, range: TimeRange, page?: { after: PageKey | null; limit: number },
): Promise<{ rows: Record<K, unknown>[]; last: PageKey | null }> {
  // source and tenant are the scope's: not worth sending 300,000 times. The id orders ties.
  const fetched = [...columns.filter((c) => c !== "source" && c !== "tenant"), "id"];
  const list = fetched.map((c) => (COMPUTED[c] ? `${COMPUTED[c]} AS "${c}"` : `e."${c}"`)).join(", ");
  const aggregates = fetched.map((c, i) => `json_agg(e."${c}")::text AS c${i}`).join(", ");
  const params: unknown[] = [scope.source, scope.tenant, range.from, range.to];
  let after = "";
  if (page?.after) {
    params.push(page.after.at, page.after.id);
    after = ` AND e."occurredAt" >= $5 AND (e."occurredAt" > $5 OR e."id" > $6)`;
  }
  const limit = page ? ` LIMIT ${Math.max(1, Math.floor(page.limit))}` : "";
  const sql = `SELECT count(*)::int AS n, ${aggregates} FROM (
      SELECT ${list} FROM "AuditEvent" e
      WHERE e."source" = $1 AND e."tenant" = $2 AND e."occurredAt" >= $3 AND e."occurredAt" < $4${after}
      ORDER BY e."occurredAt", e."id"${limit}
    ) e`;
  const result = await db.query<Record<string, unknown>>(sql, params);
  const row = result[0];
  const n = Number(row?.n ?? 0);
  if (!row || n === 0) return { rows: [], last: null };
  const arrays = fetched.map((_, i) => {
    const text = row[`c${i}`];
    return (typeof text === "string" ? JSON.parse(text) : text) as unknown[];
  });
  const ids = arrays[arrays.length - 1]!.map(Number);
  const times = fetched.includes("occurredAt") ? arrays[fetched.indexOf("occurredAt")]!.map((v) => asDate(v).getTime()) : null;
  // PostgreSQL feeds an aggregate its subquery's order in practice but does not promise it.
  let order: number[] | null = null;
  if (times) {
    for (let r = 1; r < n; r++) {
      if (times[r]! < times[r - 1]! || (times[r] === times[r - 1] && ids[r]! < ids[r - 1]!)) {
        order = Array.from({ length: n }, (_, i) => i).sort((a, b) => times[a]! - times[b]! || ids[a]! - ids[b]!);
        break;
      }
    }
  }
  const out = new Array<Record<K, unknown>>(n);
  for (let r = 0; r < n; r++) {
    const source = order ? order[r]! : r;
    const item = {} as Record<K, unknown>;
    if (columns.includes("source" as K)) item["source" as K] = scope.source;
    if (columns.includes("tenant" as K)) item["tenant" as K] = scope.tenant;
    fetched.forEach((c, i) => {
      if (c === "id") return;
      const value = arrays[i]![source];
      item[c as K] = DATE_COLUMNS.has(c) ? asDate(value) : value;
    });
    out[r] = item;
  }
  const lastIndex = order ? order[n - 1]! : n - 1;
  const last = times ? { at: new Date(times[lastIndex]!), id: ids[lastIndex]! } : null;
  return { rows: out, last };
}

/** Events of `scope` with from ≤ occurredAt < to, oldest first (ties by id), all listing columns. */
export async function loadEvents(db: Database, scope: SourceTenant, range: TimeRange): Promise<EventRow[]> {
  return (await selectColumns(db, LISTING_COLUMNS, scope, range)).rows as unknown as EventRow[];
}

/** A column encoding may ask for. */
export type EncodingColumn = (typeof ENCODING_COLUMNS)[number];

/**
 * Events of `scope` in the range with only the columns encoding needs, oldest first. With
 * `columns`, only those (plus source, tenant and occurredAt) are read and the rest are left
 * undefined: each column of a 300,000-event month costs about a second on PGlite.
 */
export async function loadEncodingEvents(db: Database, scope: SourceTenant, range: TimeRange, columns?: readonly EncodingColumn[]): Promise<EncodingRow[]> {
  return (await selectColumns(db, encodingColumns(columns), scope, range)).rows as unknown as EncodingRow[];
}

function encodingColumns(columns?: readonly EncodingColumn[]): readonly EncodingColumn[] {
  return columns ? ENCODING_COLUMNS.filter((c) => c === "source" || c === "tenant" || c === "occurredAt" || columns.includes(c)) : ENCODING_COLUMNS;
}

/** Events read per page by pagesOfEncodingEvents (a page of 14 columns is a few MB in memory). */
export const ENCODING_PAGE_ROWS = 20_000;

/**
 * The events of `scope` in the range as loadEncodingEvents gives them, a page of `pageRows` at a
 * time (keyset pages on time and id): a month of millions of events is read without holding it.
 */
export async function* pagesOfEncodingEvents(
  db: Database, scope: SourceTenant, range: TimeRange, columns?: readonly EncodingColumn[], pageRows = ENCODING_PAGE_ROWS,
): AsyncGenerator<EncodingRow[]> {
  const wanted = encodingColumns(columns);
  let after: PageKey | null = null;
  for (;;) {
    const page: { rows: Record<EncodingColumn, unknown>[]; last: PageKey | null } = await selectColumns(db, wanted, scope, range, { after, limit: pageRows });
    const { rows, last } = page;
    if (rows.length === 0) return;
    yield rows as unknown as EncodingRow[];
    if (rows.length < pageRows || !last) return;
    after = last;
  }
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

/** How many events `scope` has in each of `ranges` (one index range count each). */
export async function countEvents(db: Database, scope: SourceTenant, ranges: readonly TimeRange[]): Promise<number[]> {
  const counts: number[] = [];
  for (const range of ranges) {
    const rows = await db.query<{ n: number | string }>(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE ${IN_RANGE}`, [scope.source, scope.tenant, range.from, range.to]);
    counts.push(Number(rows[0]?.n ?? 0));
  }
  return counts;
}

/**
 * The source+tenant pairs with stored events, sorted; with `range`, only pairs with at least one
 * event in it. A loose index scan (one index probe per pair, on the source+tenant+occurredAt
 * index) instead of grouping every event: a month of 300,000 events costs a handful of probes.
 */
export async function listSourceTenants(db: Database, range?: TimeRange): Promise<SourceTenant[]> {
  const pairs = `WITH RECURSIVE pairs AS (
      (SELECT "source", "tenant" FROM "AuditEvent" ORDER BY "source", "tenant" LIMIT 1)
      UNION ALL
      SELECT next."source", next."tenant" FROM pairs, LATERAL (
        SELECT "source", "tenant" FROM "AuditEvent" a
        WHERE (a."source", a."tenant") > (pairs."source", pairs."tenant")
        ORDER BY a."source", a."tenant" LIMIT 1
      ) next
    )`;
  const rows = range
    ? await db.query<SourceTenant>(
        `${pairs} SELECT p."source", p."tenant" FROM pairs p WHERE EXISTS (
           SELECT 1 FROM "AuditEvent" e WHERE e."source" = p."source" AND e."tenant" = p."tenant" AND e."occurredAt" >= $1 AND e."occurredAt" < $2
         ) ORDER BY p."source", p."tenant"`,
        [range.from, range.to],
      )
    : await db.query<SourceTenant>(`${pairs} SELECT "source", "tenant" FROM pairs ORDER BY "source", "tenant"`);
  return rows.map((r) => ({ source: r.source, tenant: r.tenant }));
}

/** The baseline month's events of some accounts, grouped: one row per account, action, address, app, critical flag and quarter hour. */
export interface HabitGroup {
  account: string;
  action: string;
  ip: string;
  appId: string | null;
  isCritical: boolean;
  /** Start of the quarter hour (UTC; every zone's offset is a multiple of 15 minutes, so its local hour is exact). */
  occurredAt: Date;
  count: number;
}

/**
 * What `accounts` (compared in lower case) did in the range, grouped (see HabitGroup): what
 * routine recognition needs, bounded by the accounts' distinct habits rather than their events.
 */
export async function loadHabitGroups(db: Database, scope: SourceTenant, range: TimeRange, accounts: readonly string[]): Promise<HabitGroup[]> {
  if (accounts.length === 0) return [];
  const rows = await db.query<{ account: string; action: string; ip: string; appId: string | null; isCritical: boolean; quarter: number | string; n: number | string }>(
    `SELECT "account", "action", "ip", "appId", "isCritical", floor(extract(epoch FROM "occurredAt") / 900)::bigint AS quarter, count(*)::int AS n
       FROM "AuditEvent" WHERE ${IN_RANGE} AND lower("account") = ANY($5::text[])
       GROUP BY 1, 2, 3, 4, 5, 6`,
    [scope.source, scope.tenant, range.from, range.to, [...new Set(accounts.map((a) => a.trim().toLowerCase()))]],
  );
  return rows.map((r) => ({ account: r.account, action: r.action, ip: r.ip, appId: r.appId, isCritical: Boolean(r.isCritical), occurredAt: new Date(Number(r.quarter) * 900_000), count: Number(r.n) }));
}

/** One distinct account, address, app and action of a range (what novelty needs of the month so far). */
export interface SeenGroup {
  account: string;
  /** The address as profiles key it: the parsed form, else the text trimmed. */
  address: string;
  appId: string | null;
  action: string;
}

/**
 * The distinct (account, address, app, action) of `accounts` (compared in lower case) in the
 * range: bounded by the accounts' distinct habits rather than their events.
 */
export async function loadSeenGroups(db: Database, scope: SourceTenant, range: TimeRange, accounts: readonly string[]): Promise<SeenGroup[]> {
  const wanted = [...new Set(accounts.map((a) => a.trim().toLowerCase()).filter((a) => a !== ""))];
  if (wanted.length === 0 || !(range.from < range.to)) return [];
  const rows = await db.query<{ account: string; address: string; appId: string | null; action: string }>(
    `SELECT "account", coalesce("ipParsed", btrim("ip")) AS address, "appId", "action"
       FROM "AuditEvent" WHERE ${IN_RANGE} AND lower("account") = ANY($5::text[])
       GROUP BY 1, 2, 3, 4`,
    [scope.source, scope.tenant, range.from, range.to, wanted],
  );
  return rows.map((r) => ({ account: r.account, address: r.address ?? "", appId: r.appId, action: r.action }));
}
