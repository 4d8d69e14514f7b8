/**
 * Retention: events older than RETENTION_DAYS, counted back from the reported day (not from the
 * wall clock), are deleted, but never those of the reported day's previous calendar month
 * (detection's baseline), never a baseline (aggregates stay), never an unsent report. Sent
 * reports and run records older than the cutoff go with the events. So a run for a past day
 * (`kansa run --today 2026-10-06`) keeps that day's baseline month and everything newer, and
 * the daily run (reporting yesterday) prunes as it always did.
 */
import { DateTime } from "luxon";
import type { Database } from "./database.ts";
import { listSourceTenants, type SourceTenant } from "./event-queries.ts";

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

/**
 * The cutoff for `retentionDays` counted back from the start of `reportedDay` (YYYY-MM-DD in
 * `zone`), never inside the month before the reported day's.
 */
export function pruneCutoff(reportedDay: string, retentionDays: number, zone: string): PrunePlan {
  const dayStart = DateTime.fromISO(reportedDay, { zone }).startOf("day");
  if (!dayStart.isValid) throw new RangeError(`pruneCutoff: not a day: ${JSON.stringify(reportedDay)}`);
  const byDays = dayStart.minus({ days: retentionDays });
  const previousMonthStart = dayStart.startOf("month").minus({ months: 1 });
  return byDays < previousMonthStart
    ? { cutoff: byDays.toJSDate(), widened: false }
    : { cutoff: previousMonthStart.toJSDate(), widened: true };
}

/** Delete what the retention allows for a report of `reportedDay`; returns what was removed. */
export async function pruneDatabase(
  db: Database,
  options: { reportedDay: string; retentionDays: number; zone: string; organisation?: { name: string; scopes: readonly SourceTenant[] } },
): Promise<PruneResult> {
  const plan = pruneCutoff(options.reportedDay, options.retentionDays, options.zone);
  // Source by source and tenant by tenant, so that the (source, tenant, occurredAt) index serves.
  // An organisation of KANSA_CONFIG prunes its own tenants, reports and runs (its zone, its retention).
  let events = 0;
  for (const { source, tenant } of options.organisation?.scopes ?? (await listSourceTenants(db))) {
    events += (await db.prisma.auditEvent.deleteMany({ where: { source, tenant, occurredAt: { lt: plan.cutoff } } })).count;
  }
  const org = options.organisation ? { org: options.organisation.name } : {};
  const reports = await db.prisma.report.deleteMany({ where: { status: "sent", createdAt: { lt: plan.cutoff }, ...org } });
  const runs = await db.prisma.run.deleteMany({ where: { startedAt: { lt: plan.cutoff }, status: { not: "running" }, ...org } });
  await db.prisma.collection.deleteMany({ where: { finishedAt: { lt: plan.cutoff }, ...org } });
  return { ...plan, events, reports: reports.count, runs: runs.count };
}
