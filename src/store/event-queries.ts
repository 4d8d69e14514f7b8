/**
 * Reading stored events for detection and the report: the events of one source and tenant in a
 * time range (a day, a month), only the columns needed, ordered by time; the fingerprint of a
 * month (to know when a baseline is stale); and which source+tenant pairs exist. Driver-level
 * SQL, because a month can hold 300,000 events and Prisma's row objects would be slower.
 */
import { MOBILE_AGENT_PATTERN } from "../core/mobile-agent.ts";
import { type AuditEvent, type TimeRange, pairKey } from "../core/types.ts";
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

/** Events read per query by loadEvents (with their records). */
const LISTING_PAGE_ROWS = 10_000;

/** Events of `scope` with from ≤ occurredAt < to, oldest first (ties by id), all listing columns. */
export async function loadEvents(db: Database, scope: SourceTenant, range: TimeRange): Promise<EventRow[]> {
  // In pages: one query's JSON text of a large day's records (Japanese cells, two bytes a
  // character in V8) would be hundreds of MB at once.
  const out: EventRow[] = [];
  for await (const page of pagesOf(db, LISTING_COLUMNS, scope, range, LISTING_PAGE_ROWS)) for (const row of page) out.push(row as unknown as EventRow);
  return out;
}

/**
 * The rows of `scope` in the range with `columns`, `pageRows` at a time (keyset pages on time and
 * id). The next page is asked for before this one is handed over: on PostgreSQL the server reads
 * it while the caller works on this one.
 */
async function* pagesOf<K extends string>(db: Database, columns: readonly K[], scope: SourceTenant, range: TimeRange, pageRows: number): AsyncGenerator<Record<K, unknown>[]> {
  const read = (after: PageKey | null) => {
    const page = selectColumns(db, columns, scope, range, { after, limit: pageRows });
    page.catch(() => undefined); // a page read ahead and never awaited (the caller stopped) must not fail the process
    return page;
  };
  let next = read(null);
  for (;;) {
    const { rows, last } = await next;
    if (rows.length === 0) return;
    const more = rows.length === pageRows && last !== null;
    if (more) next = read(last);
    yield rows;
    if (!more) return;
  }
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
  for await (const page of pagesOf(db, encodingColumns(columns), scope, range, pageRows)) yield page as unknown as EncodingRow[];
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

/** The pairs of `pairs` that are among `only` (all of them without `only`). */
export function within(pairs: SourceTenant[], only: readonly SourceTenant[] | undefined): SourceTenant[] {
  if (!only) return pairs;
  const keep = new Set(only.map(pairKey));
  return pairs.filter((p) => keep.has(pairKey(p)));
}

/** What the baseline month shows of one account's one action (or of its critical work as a whole). */
export interface HabitSummary {
  /** The account in lower case. */
  account: string;
  /** The action, or the caller's key for critical work. */
  action: string;
  /** Local hours (0..23) it was done in. */
  hours: number[];
  addresses: string[];
  /** Apps it was done in ("" for none). */
  apps: string[];
  /** Local days it was done on. */
  days: number;
  /** Most times it was done on one local day. */
  maxPerDay: number;
}

/** An account's local hours (0..23) of activity in a range. */
export interface AccountHours {
  /** The account in lower case. */
  account: string;
  hours: number[];
}

/**
 * What routine recognition needs of a range, summarised in the database (one row per account and
 * action asked for, whatever the events): for each (account, action) of `pairs` (accounts in
 * lower case), its local hours, addresses, apps, days and busiest day in `timezone`; for each of
 * `accounts`, the same over its critical events as a whole, reported under `criticalKey`; and
 * each account's hours of any activity. Memory grows with the accounts and their distinct values,
 * not with their events (grouping by quarter hour instead held 138,000 rows for 200 people).
 */
export async function loadHabitSummaries(
  db: Database, scope: SourceTenant, range: TimeRange, timezone: string, accounts: readonly string[], pairs: readonly { account: string; action: string }[], criticalKey: string,
): Promise<{ habits: HabitSummary[]; accountHours: AccountHours[] }> {
  const wanted = [...new Set(accounts.map((a) => a.trim().toLowerCase()).filter((a) => a !== ""))];
  if (wanted.length === 0) return { habits: [], accountHours: [] };
  const base = [scope.source, scope.tenant, range.from, range.to, timezone];
  const hourRows = await db.query<{ account: string; hours: number[] | string }>(
    `SELECT lower("account") AS account, array_agg(DISTINCT extract(hour FROM "occurredAt" AT TIME ZONE $5)::int) AS hours
       FROM "AuditEvent" WHERE ${IN_RANGE} AND lower("account") = ANY($6::text[]) GROUP BY 1`,
    [...base, wanted],
  );
  const pairAccounts = pairs.map((p) => p.account.trim().toLowerCase());
  const pairActions = pairs.map((p) => p.action);
  // Critical work is grouped under a NULL action (text cannot hold the key's NUL), renamed below.
  const habitRows = await db.query<{ account: string; action: string | null; hours: unknown; addresses: unknown; apps: unknown; days: number | string; most: number | string }>(
    `WITH keyed AS (
       SELECT lower(e."account") AS account, e."action" AS action, e."ip" AS ip, coalesce(e."appId", '') AS app, e."occurredAt" AT TIME ZONE $5 AS local
         FROM "AuditEvent" e JOIN (SELECT DISTINCT * FROM unnest($6::text[], $7::text[]) AS p(account, action)) p
           ON lower(e."account") = p.account AND e."action" = p.action
        WHERE e."source" = $1 AND e."tenant" = $2 AND e."occurredAt" >= $3 AND e."occurredAt" < $4
       UNION ALL
       SELECT lower("account"), NULL, "ip", coalesce("appId", ''), "occurredAt" AT TIME ZONE $5
         FROM "AuditEvent" WHERE ${IN_RANGE} AND "isCritical" AND lower("account") = ANY($8::text[])
     ), per_day AS (
       SELECT account, action, count(*) AS n FROM keyed GROUP BY account, action, local::date
     ), days AS (
       SELECT account, action, count(*)::int AS days, max(n)::int AS most FROM per_day GROUP BY account, action
     ), sets AS (
       SELECT account, action, array_agg(DISTINCT extract(hour FROM local)::int) AS hours, array_agg(DISTINCT ip) AS addresses, array_agg(DISTINCT app) AS apps
         FROM keyed GROUP BY account, action
     )
     SELECT s.account, s.action, s.hours, s.addresses, s.apps, d.days, d.most FROM sets s JOIN days d ON d.account = s.account AND d.action IS NOT DISTINCT FROM s.action`,
    [...base, pairAccounts, pairActions, wanted],
  );
  const list = <T>(value: unknown, as: (v: unknown) => T): T[] => (Array.isArray(value) ? value.map(as) : []);
  return {
    habits: habitRows.map((r) => ({
      account: r.account, action: r.action ?? criticalKey, hours: list(r.hours, Number), addresses: list(r.addresses, String), apps: list(r.apps, String),
      days: Number(r.days), maxPerDay: Number(r.most),
    })),
    accountHours: hourRows.map((r) => ({ account: r.account, hours: list(r.hours, Number) })),
  };
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
