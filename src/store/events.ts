/**
 * Storing normalised events: batched, idempotent and fast. Each chunk of events is one
 * `INSERT ... SELECT FROM json_to_recordset($1) ... ON CONFLICT DO NOTHING` statement through
 * the driver (not one Prisma call per row): one parameter, parsed by the server, on PGlite and
 * PostgreSQL alike. The unique key source+tenant+externalId makes storing twice harmless.
 */
import type { Database } from "./database.ts";
import type { AuditEvent } from "../core/types.ts";
import { StoreError } from "../core/errors.ts";

export interface StoreResult {
  /** Rows inserted now. */
  stored: number;
  /** Events already stored, or repeated within the call. */
  duplicates: number;
  /**
   * With `{ reportInserted: true }`: for each given event, whether it was inserted now (false:
   * already stored, or an earlier event of the same call had its key).
   */
  inserted?: boolean[];
}

export interface StoreOptions {
  /** Say which events were inserted (`inserted`), e.g. to count per file. */
  reportInserted?: boolean;
}

/** Events per statement: large enough to amortise a round trip, small enough to keep memory flat. */
export const STORE_CHUNK = 2000;

const INSERT_SQL = `
WITH inserted AS (
  INSERT INTO "AuditEvent" ("source", "tenant", "externalId", "occurredAt", "account", "action", "ip", "ipParsed",
    "appId", "appName", "userAgent", "level", "result", "isExport", "isCritical", "isLogin", "isFailedLogin", "raw")
  SELECT s, t, x, o, a, c, i, ip, ai, an, ua, l, r, ie, ic, il, ifl, raw
  FROM json_to_recordset($1::json) AS e(s text, t text, x text, o timestamptz, a text, c text, i text, ip text,
    ai text, an text, ua text, l text, r text, ie boolean, ic boolean, il boolean, ifl boolean, raw jsonb)
  ON CONFLICT ("source", "tenant", "externalId") DO NOTHING
  RETURNING %RETURNING%
)
%SELECT%`;

const COUNT_SQL = INSERT_SQL.replace("%RETURNING%", "1").replace("%SELECT%", `SELECT count(*)::int AS n FROM inserted`);
const KEYS_SQL = INSERT_SQL.replace("%RETURNING%", `"source" || chr(1) || "tenant" || chr(1) || "externalId" AS k`).replace("%SELECT%", `SELECT k FROM inserted`);

function keyOf(e: AuditEvent): string {
  return `${e.source}\u0001${e.tenant}\u0001${e.externalId}`;
}

function rowJson(e: AuditEvent): string {
  return JSON.stringify({
    s: e.source, t: e.tenant, x: e.externalId, o: e.occurredAt.toISOString(), a: e.account, c: e.action,
    i: e.ip, ip: e.ipParsed, ai: e.appId, an: e.appName, ua: e.userAgent, l: e.level, r: e.result,
    ie: e.isExport, ic: e.isCritical, il: e.isLogin, ifl: e.isFailedLogin, raw: e.raw,
  });
}

/**
 * Store events; returns how many were inserted and how many were duplicates (already stored,
 * or repeated inside `events`), and with `reportInserted` which ones were inserted. Idempotent:
 * storing the same events again stores nothing. Each chunk of STORE_CHUNK events is atomic.
 * Throws StoreError when the database refuses.
 */
export async function storeEvents(db: Database, events: AuditEvent[], options: StoreOptions = {}): Promise<StoreResult> {
  const firstOfKey: boolean[] = new Array<boolean>(events.length);
  const seen = new Set<string>();
  const unique: AuditEvent[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const key = keyOf(e);
    firstOfKey[i] = !seen.has(key);
    if (!firstOfKey[i]) continue;
    seen.add(key);
    unique.push(e);
  }
  const insertedKeys = options.reportInserted ? new Set<string>() : null;
  let stored = 0;
  for (let start = 0; start < unique.length; start += STORE_CHUNK) {
    const chunk = unique.slice(start, start + STORE_CHUNK);
    let payload = `[${chunk.map(rowJson).join(",")}]`;
    // PostgreSQL text and jsonb cannot hold U+0000 (JSON writes it \u0000); logs occasionally
    // do. The character is dropped rather than the event.
    if (payload.includes("\\u0000")) payload = payload.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, "$1");
    try {
      if (insertedKeys) {
        const rows = await db.query<{ k: string }>(KEYS_SQL, [payload]);
        for (const row of rows) insertedKeys.add(row.k);
        stored += rows.length;
      } else {
        const rows = await db.query<{ n: number }>(COUNT_SQL, [payload]);
        stored += Number(rows[0]?.n ?? 0);
      }
    } catch (error) {
      const first = chunk[0]!;
      throw new StoreError(
        `Could not store ${chunk.length} ${first.source} events of ${first.tenant} in ${db.describe}: ${(error as Error).message}`,
        { cause: error, details: { source: first.source, tenant: first.tenant } },
      );
    }
  }
  const result: StoreResult = { stored, duplicates: events.length - stored };
  if (insertedKeys) result.inserted = events.map((e, i) => firstOfKey[i]! && insertedKeys.has(keyOf(e)));
  return result;
}
