/**
 * Retention: events older than RETENTION_DAYS are deleted, but never those of the previous
 * calendar month (detection's baseline), never a baseline (aggregates stay), never an unsent
 * report. Sent reports and run records older than the cutoff go with the events.
 */
import { DateTime } from "luxon";
import type { Database } from "./database.ts";
import { listSourceTenants } from "./event-queries.ts";

export interface PrunePlan {
  /** Events that occurred before this instant are deleted. */
  cutoff: Date;
  /** True when RETENTION_DAYS asked for less than the previous month and was widened. */
  widened: boolean;
}

export interface PruneResult extends PrunePlan {
  events: number;
  reports: number;
  runs: number;
}

/** The cutoff for `retentionDays` at `now`, never inside the previous month (in `zone`). */
export function pruneCutoff(now: Date, retentionDays: number, zone: string): PrunePlan {
  const byDays = DateTime.fromJSDate(now, { zone }).minus({ days: retentionDays });
  const previousMonthStart = DateTime.fromJSDate(now, { zone }).startOf("month").minus({ months: 1 });
  return byDays < previousMonthStart
    ? { cutoff: byDays.toJSDate(), widened: false }
    : { cutoff: previousMonthStart.toJSDate(), widened: true };
}

/** Delete what the retention allows; returns what was removed. */
export async function pruneDatabase(db: Database, options: { now: Date; retentionDays: number; zone: string }): Promise<PruneResult> {
  const plan = pruneCutoff(options.now, options.retentionDays, options.zone);
  // Source by source and tenant by tenant, so that the (source, tenant, occurredAt) index serves.
  let events = 0;
  for (const { source, tenant } of await listSourceTenants(db)) {
    events += (await db.prisma.auditEvent.deleteMany({ where: { source, tenant, occurredAt: { lt: plan.cutoff } } })).count;
  }
  const reports = await db.prisma.report.deleteMany({ where: { status: "sent", createdAt: { lt: plan.cutoff } } });
  const runs = await db.prisma.run.deleteMany({ where: { startedAt: { lt: plan.cutoff }, status: { not: "running" } } });
  return { ...plan, events, reports: reports.count, runs: runs.count };
}
