/**
 * The daily job (`kansa run`, the worker, Heroku Scheduler): under the run lock, collect every
 * configured source, build the report of the day before `today`, store and mail it, prune, and
 * record the run. One failing source never stops the others: the report says what failed and
 * the job ends `failed` (non-zero exit) when anything did.
 */
import type { Config } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import type { ReportModel } from "../core/report-model.ts";
import type { Source } from "../sources/contract.ts";
import { addDays, todayIn } from "../core/calendar.ts";
import { errorMessage } from "../core/errors.ts";
import { configuredSources, sourceRegistry } from "../sources/registry.ts";
import type { Database } from "../store/database.ts";
import { listSourceTenants } from "../store/event-queries.ts";
import { pruneDatabase, type PruneResult } from "../store/prune.ts";
import { finishRun, startRun } from "../store/runs.ts";
import { deliverReport, type DeliverResult } from "../mail/deliver.ts";
import { collectSource, type SourceRunResult } from "./collect-source.ts";
import { dailyRange } from "./collection-range.ts";
import { runDailyReport } from "./daily-report.ts";
import { withRunLock } from "./run-lock.ts";
import { artifactsDirFor } from "./backfill.ts";
import { now as clockNow } from "../core/clock.ts";

export interface DailyJobOptions {
  /** YYYY-MM-DD in the report time zone; the report covers the day before. Default: today. */
  today?: string;
  mail: boolean;
  resend?: boolean;
  featureSet?: string;
  log: Logger;
  runId: string;
  now?: Date;
  /** Sources to collect (default: the configured ones). */
  sources?: Source[];
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

/**
 * Why the daily job has nothing to do, or null: no source is configured and nothing is stored
 * (imported files alone are a valid setup). One sentence naming what to set.
 */
export async function nothingToRun(db: Database, config: Config): Promise<string | null> {
  if (configuredSources(config).length > 0) return null;
  if ((await listSourceTenants(db)).length > 0) return null;
  return `Nothing to report: no source is configured and nothing is stored; set ${sourcesToSet()}, or load exported files with \`kansa import PATH\`.`;
}

/** Run the whole daily job once. */
export async function runDailyJob(db: Database, config: Config, options: DailyJobOptions): Promise<DailyJobResult> {
  const now = options.now ?? clockNow();
  const today = options.today ?? todayIn(config.reportTimezone, now);
  const day = addDays(today, -1);
  const log = options.log.child({ day });
  return withRunLock(
    db,
    async () => {
      const runId = await startRun(db, "run", day, { exclusive: true });
      const errors: string[] = [];
      const results: SourceRunResult[] = [];
      const sources = options.sources ?? configuredSources(config);
      for (const source of sources) {
        const range = await dailyRange(db, config, source, today, now);
        results.push(
          await collectSource(db, source, {
            range,
            config,
            log,
            artifactsDir: artifactsDirFor(config, options.runId),
          }),
        );
      }
      for (const r of results) errors.push(...r.errors);

      const { report } = await runDailyReport(db, config, {
        today,
        mail: options.mail,
        log,
        now,
        collection: results.map((r) => ({
          source: r.source, tenant: r.tenant, collected: r.collected, stored: r.stored, duplicates: r.duplicates,
          rejected: r.rejected, errors: r.errors, warnings: r.warnings, gaps: r.gaps, cursorAgeHours: r.cursorAgeHours,
        })),
        ...(options.featureSet ? { featureSet: options.featureSet } : {}),
        ...(sources.length === 0 ? { notices: [`No source is configured (set ${sourcesToSet()}): this report is built from the events already stored, such as imported files.`] } : {}),
      });

      let delivery: DeliverResult | null = null;
      if (options.mail) {
        try {
          delivery = await deliverReport(db, config, report, { resend: options.resend ?? false, log });
          if (delivery.error) errors.push(`mail: ${delivery.error}`);
        } catch (error) {
          errors.push(`mail: ${errorMessage(error)}`);
        }
      }

      let pruned: PruneResult | null = null;
      try {
        pruned = await pruneDatabase(db, { reportedDay: day, retentionDays: config.retentionDays, zone: config.reportTimezone });
        if (pruned.events > 0) log.info({ events: pruned.events, before: pruned.cutoff.toISOString() }, "pruned old events");
      } catch (error) {
        errors.push(`prune: ${errorMessage(error)}`);
      }

      const failed = errors.length > 0;
      await finishRun(
        db,
        runId,
        failed ? "failed" : "ok",
        {
          today,
          sources: results.map((r) => ({ source: r.source, tenant: r.tenant, collected: r.collected, stored: r.stored, duplicates: r.duplicates, rejected: r.rejected })),
          events: report.totalEvents ?? 0,
          outliers: report.sections.outliers.total,
          mailed: delivery?.sent ?? false,
          pruned: pruned?.events ?? 0,
        },
        errors,
      );
      return { today, day, report, sources: results, delivery, pruned, errors, failed };
    },
    { waitMs: options.lockWaitMs ?? 0, onWait: () => log.info("another run holds the lock; waiting") },
  );
}
