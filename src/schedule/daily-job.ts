/**
 * The daily job (`kansa run`, the worker, Heroku Scheduler) of one organisation: under its run
 * lock, collect each of its source instances, build the report of the day before `today`, store
 * and mail it, prune, and record the run. One failing source never stops the others: the report
 * says what failed and the job ends `failed` (non-zero exit) when anything did. The job queue
 * (./job-queue.ts) runs the same two steps, `collectInstance` and `reportOrganisation`, as
 * separate jobs on several workers.
 */
import type { Logger } from "../core/logger.ts";
import type { ReportModel } from "../core/report-model.ts";
import { addDays, todayIn } from "../core/calendar.ts";
import { errorMessage } from "../core/errors.ts";
import { sourceRegistry } from "../sources/registry.ts";
import type { Organisation, SourceInstance } from "../sources/organisations.ts";
import type { Database } from "../store/database.ts";
import { listSourceTenants, type SourceTenant } from "../store/event-queries.ts";
import { claimTenants, organisationTenants } from "../store/organisation-tenants.ts";
import { pruneDatabase, type PruneResult } from "../store/prune.ts";
import { finishRun, startRun } from "../store/runs.ts";
import { deliverReport, type DeliverResult } from "../mail/deliver.ts";
import { collectSource, type SourceRunResult } from "./collect-source.ts";
import { dailyRange } from "./collection-range.ts";
import { runDailyReport } from "./daily-report.ts";
import { runLockOf, withRunLock } from "./run-lock.ts";
import { artifactsDirFor } from "./backfill.ts";
import { now as clockNow } from "../core/clock.ts";

export interface DailyJobOptions {
  /** YYYY-MM-DD in the organisation's report time zone; the report covers the day before. Default: today there. */
  today?: string;
  mail: boolean;
  resend?: boolean;
  featureSet?: string;
  log: Logger;
  runId: string;
  now?: Date;
  /** How long to wait for another run holding the lock (default: do not wait). */
  lockWaitMs?: number;
}

export interface DailyJobResult {
  today: string;
  day: string;
  report: ReportModel;
  sources: SourceRunResult[];
  delivery: DeliverResult | null;
  pruned: PruneResult | null;
  errors: string[];
  failed: boolean;
}

/** What to set so that kansa has something to collect (one clause per registered source). */
function sourcesToSet(): string {
  return sourceRegistry.map((s) => `${s.enabledBy.slice(0, -1).join(", ")} and ${s.enabledBy.at(-1)} (${s.name})`).join(", or ");
}

/** The source+tenant pairs of an organisation's instances. */
export function instancePairs(organisation: Organisation): SourceTenant[] {
  return organisation.sources.map(({ source }) => ({ source: source.name, tenant: source.tenant }));
}

/**
 * What a report of `organisation` covers: every stored pair for the single-organisation settings
 * (undefined), else `scopes`, the pairs recorded as its own: its instances (claimed here first,
 * so they are always among them) and the tenants it imported with --org. `instances` are its
 * configured ones alone.
 */
export async function organisationScope(db: Database, organisation: Organisation): Promise<{ name: string; scopes: SourceTenant[]; instances: SourceTenant[] } | undefined> {
  if (!organisation.configured) return undefined;
  const instances = instancePairs(organisation);
  await claimTenants(db, organisation.name, instances);
  return { name: organisation.name, scopes: await organisationTenants(db, organisation.name), instances };
}

/**
 * Why the daily job has nothing to do, or null: no source is configured and nothing is stored
 * (imported files alone are a valid setup). One sentence naming what to set.
 */
export async function nothingToRun(db: Database, organisation: Organisation): Promise<string | null> {
  if (organisation.sources.length > 0) return null;
  if (organisation.configured) {
    if ((await organisationTenants(db, organisation.name)).length > 0) return null;
    return `Nothing to report for organisation "${organisation.name}": KANSA_CONFIG gives it no source and nothing is stored for it; add sources, or load exported files with \`kansa import --org ${organisation.name} PATH\`.`;
  }
  if ((await listSourceTenants(db)).length > 0) return null;
  return `Nothing to report: no source is configured and nothing is stored; set ${sourcesToSet()}, or load exported files with \`kansa import PATH\`.`;
}

/** The run's date of `organisation` at `now` (its report time zone), or the given one. */
export function runDate(organisation: Organisation, now: Date, today?: string): string {
  return today ?? todayIn(organisation.config.reportTimezone, now);
}

/** Collect one source instance of `organisation` for the run of `today` (from its cursor, over the daily range). */
export async function collectInstance(
  db: Database,
  organisation: Organisation,
  instance: SourceInstance,
  options: { today: string; now: Date; log: Logger; runId: string },
): Promise<SourceRunResult> {
  if (organisation.configured) await claimTenants(db, organisation.name, [{ source: instance.source.name, tenant: instance.source.tenant }]);
  const range = await dailyRange(db, instance.config, instance.source, options.today, options.now);
  return collectSource(db, instance.source, {
    range,
    config: instance.config,
    log: options.log,
    artifactsDir: artifactsDirFor(instance.config, options.runId),
  });
}

export interface OrganisationReport {
  report: ReportModel;
  delivery: DeliverResult | null;
  pruned: PruneResult | null;
  errors: string[];
}

/**
 * The report of `organisation` for the run of `today` after its collections (`collection`):
 * built from the store, stored in the outbox and mailed to its recipients (unless `mail` is
 * false), then what retention allows is pruned. Errors of mailing and pruning are returned.
 */
export async function reportOrganisation(
  db: Database,
  organisation: Organisation,
  options: { today: string; collection: SourceRunResult[]; mail: boolean; resend?: boolean; featureSet?: string; log: Logger; now: Date },
): Promise<OrganisationReport> {
  const { config } = organisation;
  const errors: string[] = [];
  const scope = await organisationScope(db, organisation);
  const { report } = await runDailyReport(db, config, {
    today: options.today,
    mail: options.mail,
    log: options.log,
    now: options.now,
    collection: options.collection.map((r) => ({
      source: r.source, tenant: r.tenant, collected: r.collected, stored: r.stored, duplicates: r.duplicates,
      rejected: r.rejected, errors: r.errors, warnings: r.warnings, gaps: r.gaps, cursorAgeHours: r.cursorAgeHours,
    })),
    ...(scope ? { organisation: scope } : {}),
    ...(options.featureSet ? { featureSet: options.featureSet } : {}),
    ...(organisation.sources.length === 0 && !organisation.configured
      ? { notices: [`No source is configured (set ${sourcesToSet()}): this report is built from the events already stored, such as imported files.`] }
      : {}),
  });

  let delivery: DeliverResult | null = null;
  if (options.mail) {
    try {
      delivery = await deliverReport(db, config, report, { resend: options.resend ?? false, log: options.log });
      if (delivery.error) errors.push(`mail: ${delivery.error}`);
    } catch (error) {
      errors.push(`mail: ${errorMessage(error)}`);
    }
  }

  let pruned: PruneResult | null = null;
  try {
    pruned = await pruneDatabase(db, {
      reportedDay: addDays(options.today, -1),
      retentionDays: config.retentionDays,
      zone: config.reportTimezone,
      ...(scope ? { organisation: scope } : {}),
    });
    if (pruned.events > 0) options.log.info({ events: pruned.events, before: pruned.cutoff.toISOString() }, "pruned old events");
  } catch (error) {
    errors.push(`prune: ${errorMessage(error)}`);
  }
  return { report, delivery, pruned, errors };
}

/** Run the whole daily job of `organisation` once, in this process. */
export async function runDailyJob(db: Database, organisation: Organisation, options: DailyJobOptions): Promise<DailyJobResult> {
  const now = options.now ?? clockNow();
  const today = runDate(organisation, now, options.today);
  const day = addDays(today, -1);
  const log = options.log.child({ day, ...(organisation.configured ? { org: organisation.name } : {}) });
  return withRunLock(
    db,
    async () => {
      const runId = await startRun(db, "run", day, { exclusive: true, org: organisation.name });
      const results: SourceRunResult[] = [];
      for (const instance of organisation.sources) {
        results.push(await collectInstance(db, organisation, instance, { today, now, log, runId: options.runId }));
      }
      const outcome = await reportOrganisation(db, organisation, {
        today, collection: results, mail: options.mail, log, now,
        ...(options.resend !== undefined ? { resend: options.resend } : {}),
        ...(options.featureSet ? { featureSet: options.featureSet } : {}),
      });
      const errors = [...results.flatMap((r) => r.errors), ...outcome.errors];
      const failed = errors.length > 0;
      await finishRun(db, runId, failed ? "failed" : "ok", runStats(today, results, outcome), errors);
      return { today, day, report: outcome.report, sources: results, delivery: outcome.delivery, pruned: outcome.pruned, errors, failed };
    },
    { name: runLockOf(organisation.name), waitMs: options.lockWaitMs ?? 0, onWait: () => log.info("another run holds the lock; waiting") },
  );
}

/** What the Run row records of a daily job. */
export function runStats(today: string, results: readonly SourceRunResult[], outcome: OrganisationReport) {
  return {
    today,
    sources: results.map((r) => ({ source: r.source, tenant: r.tenant, collected: r.collected, stored: r.stored, duplicates: r.duplicates, rejected: r.rejected })),
    events: outcome.report.totalEvents ?? 0,
    outliers: outcome.report.sections.outliers.total,
    mailed: outcome.delivery?.sent ?? false,
    pruned: outcome.pruned?.events ?? 0,
  };
}
