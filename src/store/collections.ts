/**
 * The Collection table: what each queued collection (organisation, source instance, run date)
 * did, written when it ends. The organisation's report job reads them for its source health, and
 * the last collection of an organisation to end is the one that finds them all and queues the
 * report (src/schedule/job-queue.ts).
 */
import type { JsonValue } from "../core/types.ts";
import type { InputJsonValue } from "./generated/internal/prismaNamespace.ts";
import type { Database } from "./database.ts";

export interface CollectionRow {
  source: string;
  tenant: string;
  result: JsonValue;
}

/** Record (or replace: a collection run again after its worker died) what one collection did. */
export async function recordCollection(db: Database, org: string, today: string, row: CollectionRow): Promise<void> {
  const result = row.result as InputJsonValue;
  await db.prisma.collection.upsert({
    where: { org_today_source_tenant: { org, today, source: row.source, tenant: row.tenant } },
    create: { org, today, source: row.source, tenant: row.tenant, result },
    update: { result, finishedAt: new Date() },
  });
}

/** What the collections of `org` for the run of `today` did, by source and tenant. */
export async function listCollections(db: Database, org: string, today: string): Promise<CollectionRow[]> {
  const rows = await db.prisma.collection.findMany({ where: { org, today }, orderBy: [{ source: "asc" }, { tenant: "asc" }] });
  return rows.map((r) => ({ source: r.source, tenant: r.tenant, result: r.result as JsonValue }));
}
