/**
 * The job queue: the day's work of every organisation spread over any number of `kansa worker`
 * processes against one PostgreSQL database, through pg-boss (its own schema, `kansa_jobs`).
 *
 * - One queue, `kansa-jobs`: a collection job per (organisation, source instance, run date), a
 *   report job per (organisation, run date). One queue, so that `--concurrency N` is N jobs at
 *   once of either kind (memory is per job); reports go first (priority), so each organisation's
 *   mail leaves as soon as its own collections have ended. Job ids are derived from those keys,
 *   so enqueueing a day twice (two workers' schedules, a Scheduler run and a worker) adds nothing.
 * - A collection records what it did in the Collection table, then checks whether all of its
 *   organisation's collections of the day have ended; the one that finds them all queues the
 *   report (the insert comes before the check, so the last to end always sees the others; two
 *   seeing them together queue one job, by its id).
 * - A worker killed mid-job loses nothing: pg-boss takes a job that has been active longer than
 *   JOB_EXPIRE_SECONDS as lost and runs it again (at most twice) on whichever worker polls next.
 *   The store keeps one copy of each event and advances a cursor only after its batch is stored,
 *   so a collection run again stores nothing twice; the outbox sends each report once. A job's
 *   session advisory lock (per source instance; per organisation for reports) keeps a job run
 *   again from overlapping a slow one still alive; PostgreSQL drops it when a process dies.
 * - A job lost three times lands in `kansa-jobs-lost` (pg-boss's dead letter queue): a collection
 *   there is recorded as failed, so the report still goes out, saying so; a report there is
 *   logged, and `kansa enqueue --wait` shows it failed.
 *
 * Why pg-boss rather than graphile-worker (README, "Several organisations"): a job whose worker
 * died is retried after its own expiry, set per queue (graphile-worker holds such a job locked for
 * a fixed 4 hours: too late for a morning mail); and pg-boss 10 runs on Node 20.
 */
import { createHash } from "node:crypto";
import PgBoss from "pg-boss";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../core/logger.ts";
import { type JsonValue, pairKey } from "../core/types.ts";
import { addDays } from "../core/calendar.ts";
import { StoreError, errorMessage } from "../core/errors.ts";
import { redactSecrets } from "../core/secrets.ts";
import { now as clockNow } from "../core/clock.ts";
import type { Organisation } from "../sources/organisations.ts";
import type { Database } from "../store/database.ts";
import { describeDatabaseUrl } from "../store/database.ts";
import { listCollections, recordCollection } from "../store/collections.ts";
import { finishRun, startRun } from "../store/runs.ts";
import type { SourceRunResult } from "./collect-source.ts";
import { collectInstance, reportOrganisation, runDate, runStats } from "./daily-job.ts";
import { runLockOf } from "./run-lock.ts";

export const QUEUE_SCHEMA = "kansa_jobs";
const JOBS = "kansa-jobs";
const LOST = "kansa-jobs-lost";
/** Runs of a job after the first when its worker dies (or it throws). */
const RETRY_LIMIT = 2;

interface CollectData {
  org: string;
  source: string;
  tenant: string;
  today: string;
}

interface ReportData {
  org: string;
  today: string;
}

type JobData = ({ kind: "collect" } & CollectData) | ({ kind: "report" } & ReportData);

/** What a finished job leaves as its output (read by `kansa enqueue --wait`). */
export interface JobOutcome {
  ok: boolean;
  errors: string[];
  [key: string]: JsonValue;
}

/** A UUID made from `parts` (the job's key), so that the same job is never queued twice. */
export function jobId(...parts: string[]): string {
  const hex = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const collectId = (d: CollectData) => jobId("collect", d.org, d.source, d.tenant, d.today);
const reportId = (d: ReportData) => jobId("report", d.org, d.today);

/** Open pg-boss on `databaseUrl` (creating its schema and kansa's queues the first time). */
export async function openQueue(databaseUrl: string, options: { expireSeconds: number; log: Logger; maintain?: boolean }): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: QUEUE_SCHEMA,
    application_name: "kansa-queue",
    max: 4,
    schedule: false,
    supervise: options.maintain ?? true,
    // Lost jobs are found by maintenance: often enough that one is taken over soon after it expires.
    maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(options.expireSeconds / 4))),
  });
  boss.on("error", (error: unknown) => options.log.warn({ err: redactSecrets(errorMessage(error)) }, "job queue"));
  try {
    await boss.start();
  } catch (error) {
    throw new StoreError(`Could not start the job queue on ${describeDatabaseUrl(databaseUrl)}: ${redactSecrets(errorMessage(error))}`, { cause: error });
  }
  const queue = { retryLimit: RETRY_LIMIT, retryDelay: 5, expireInSeconds: options.expireSeconds, retentionDays: 7 };
  for (const [name, extra] of [[LOST, {}], [JOBS, { deadLetter: LOST }]] as const) {
    if (await boss.getQueue(name)) {
      await boss.updateQueue(name, { name, ...queue, ...extra });
      continue;
    }
    try {
      await boss.createQueue(name, { name, ...queue, ...extra });
    } catch (error) {
      if (!(await boss.getQueue(name))) throw error; // else another worker created it meanwhile
    }
  }
  return boss;
}

/** What was queued for one organisation's run date. */
export interface QueuedDay {
  org: string;
  today: string;
  collections: { source: string; tenant: string; jobId: string }[];
  reportJobId: string;
}

/**
 * Queue the run of `today` (default: today in each organisation's zone) of every organisation:
 * its collections, or its report at once when it has no source instance.
 */
export async function enqueueDay(boss: PgBoss, organisations: readonly Organisation[], options: { today?: string; now?: Date } = {}): Promise<QueuedDay[]> {
  const now = options.now ?? clockNow();
  const out: QueuedDay[] = [];
  for (const organisation of organisations) {
    const today = runDate(organisation, now, options.today);
    const collections = [];
    for (const { source } of organisation.sources) {
      const data: CollectData = { org: organisation.name, source: source.name, tenant: source.tenant, today };
      await boss.send(JOBS, { kind: "collect", ...data }, { id: collectId(data) });
      collections.push({ source: source.name, tenant: source.tenant, jobId: collectId(data) });
    }
    const report: ReportData = { org: organisation.name, today };
    if (collections.length === 0) await sendReport(boss, report);
    out.push({ org: organisation.name, today, collections, reportJobId: reportId(report) });
  }
  return out;
}

/** Queue the organisation's report once all of its collections of `today` have ended. */
async function reportWhenCollected(boss: PgBoss, db: Database, organisation: Organisation, today: string): Promise<boolean> {
  const ended = new Set((await listCollections(db, organisation.name, today)).map(pairKey));
  if (!organisation.sources.every(({ source }) => ended.has(pairKey({ source: source.name, tenant: source.tenant })))) return false;
  await sendReport(boss, { org: organisation.name, today });
  return true;
}

/** Queue a report (once: its id comes from its key), ahead of the collections still waiting. */
async function sendReport(boss: PgBoss, data: ReportData): Promise<void> {
  await boss.send(JOBS, { kind: "report", ...data }, { id: reportId(data), priority: 1 });
}

/** `value` as stored JSON, every registered secret redacted from its strings (an error may quote a response). */
function redacted(value: SourceRunResult): JsonValue {
  return JSON.parse(redactSecrets(JSON.stringify(value))) as JsonValue;
}

/** A collection that never ran to its end (its instance gone from KANSA_CONFIG, or lost three times), as the report shows it. */
function failedCollection(data: CollectData, error: string): SourceRunResult {
  return {
    source: data.source, tenant: data.tenant, collected: 0, stored: 0, duplicates: 0, rejected: 0, rejections: [],
    errors: [error], warnings: [], gaps: [], stats: {}, cursor: null, cursorAgeHours: null, durationMs: 0,
  };
}

export interface QueueWorkerOptions {
  db: Database;
  boss: PgBoss;
  organisations: readonly Organisation[];
  concurrency: number;
  mail: boolean;
  log: Logger;
  runId: string;
  /** How long a job waits for its lock before it gives up and is tried again later (default 10 s). */
  lockWaitMs?: number;
}

/** Take a session lock, waiting for it up to `waitMs`; null when another process keeps it. */
async function lockWithin(db: Database, name: string, waitMs: number): Promise<(() => Promise<void>) | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const release = await db.tryLock(name);
    if (release || Date.now() >= deadline) return release;
    await sleep(1000);
  }
}

/**
 * Work the queue: `concurrency` jobs at once of each kind (collections, reports), until `stop`.
 * Each handler finds its organisation and instance in the current configuration.
 */
export async function workQueue(options: QueueWorkerOptions): Promise<{ stop(timeoutMs: number): Promise<void> }> {
  const { db, boss, log } = options;
  const find = (name: string) => options.organisations.find((o) => o.name === name);

  const collect = async (data: CollectData, job: { id: string; retryCount: number }): Promise<JobOutcome> => {
    const organisation = find(data.org);
    const jobLog = log.child({ org: data.org, today: data.today, jobId: job.id });
    const where = { source: data.source, tenant: data.tenant };
    const instance = organisation?.sources.find(({ source }) => source.name === data.source && source.tenant === data.tenant);
    let result: SourceRunResult;
    if (!organisation || !instance) {
      result = failedCollection(data, `KANSA_CONFIG no longer has the ${data.source} tenant "${data.tenant}" of organisation "${data.org}": not collected.`);
    } else {
      const lock = `kansa:collect:${data.source}:${data.tenant}`;
      const release = await lockWithin(db, lock, options.lockWaitMs ?? 10_000);
      if (!release) throw new Error(`another worker is still collecting the ${data.source} tenant "${data.tenant}"; trying again later`);
      try {
        jobLog.info({ ...where, attempt: job.retryCount + 1 }, "collection started");
        result = await collectInstance(db, organisation, instance, { today: data.today, now: clockNow(), log: jobLog, runId: options.runId });
        jobLog.info({ ...where, stored: result.stored, duplicates: result.duplicates, rejected: result.rejected, errors: result.errors.length }, "collection finished");
      } finally {
        await release();
      }
    }
    await recordCollection(db, data.org, data.today, { source: data.source, tenant: data.tenant, result: redacted(result) });
    if (organisation) await reportWhenCollected(boss, db, organisation, data.today);
    return { ok: result.errors.length === 0, errors: result.errors.map((e) => redactSecrets(e)), stored: result.stored };
  };

  const lost = async (data: CollectData): Promise<JobOutcome> => {
    const error = `The collection of the ${data.source} tenant "${data.tenant}" was lost ${RETRY_LIMIT + 1} times (its worker died or it failed): nothing was collected for this run.`;
    log.error({ org: data.org, source: data.source, tenant: data.tenant, today: data.today }, error);
    const organisation = find(data.org);
    const ended = (await listCollections(db, data.org, data.today)).some((c) => c.source === data.source && c.tenant === data.tenant);
    if (!ended) await recordCollection(db, data.org, data.today, { source: data.source, tenant: data.tenant, result: redacted(failedCollection(data, error)) });
    if (organisation) await reportWhenCollected(boss, db, organisation, data.today);
    return { ok: false, errors: [error] };
  };

  const report = async (data: ReportData): Promise<JobOutcome> => {
    const organisation = find(data.org);
    const jobLog = log.child({ org: data.org, today: data.today });
    if (!organisation) return { ok: false, errors: [`KANSA_CONFIG no longer has organisation "${data.org}": no report.`] };
    const release = await lockWithin(db, runLockOf(organisation.name), options.lockWaitMs ?? 10_000);
    if (!release) throw new Error(`another run of organisation "${organisation.name}" holds its lock; trying again later`);
    try {
      const day = addDays(data.today, -1);
      const runId = await startRun(db, "run", day, { exclusive: true, org: organisation.name });
      const collection = (await listCollections(db, organisation.name, data.today)).map((c) => c.result as unknown as SourceRunResult);
      const outcome = await reportOrganisation(db, organisation, { today: data.today, collection, mail: options.mail, log: jobLog, now: clockNow() });
      const errors = [...collection.flatMap((r) => r.errors), ...outcome.errors];
      await finishRun(db, runId, errors.length > 0 ? "failed" : "ok", runStats(data.today, collection, outcome), errors);
      jobLog.info({ day, events: outcome.report.totalEvents ?? 0, sent: outcome.delivery?.sent ?? false, errors: errors.length }, options.mail ? "report mailed" : "report stored");
      return { ok: errors.length === 0, errors: errors.map((e) => redactSecrets(e)), mailed: outcome.delivery?.sent ?? false };
    } finally {
      await release();
    }
  };

  /** One job at a time per call of boss.work: `count` calls make `count` jobs at once. */
  const work = async <T extends object>(queue: string, handler: (data: T, job: { id: string; retryCount: number }) => Promise<JobOutcome>, count: number) => {
    for (let i = 0; i < count; i++) {
      await boss.work<T>(queue, { batchSize: 1, pollingIntervalSeconds: 1, includeMetadata: true }, async ([job]) => {
        if (!job) return;
        try {
          return await handler(job.data, { id: job.id, retryCount: job.retryCount });
        } catch (error) {
          log.error({ queue, jobId: job.id, attempt: job.retryCount + 1, err: redactSecrets(errorMessage(error)) }, "job failed; it is run again later unless it has been tried three times");
          throw new Error(redactSecrets(errorMessage(error)));
        }
      });
    }
  };
  await work<JobData>(JOBS, (data, job) => (data.kind === "report" ? report(data) : collect(data, job)), options.concurrency);
  await work<JobData>(LOST, async (data) => {
    if (data.kind === "collect") return lost(data);
    const error = `The report of organisation "${data.org}" for the run of ${data.today} failed ${RETRY_LIMIT + 1} times: not sent.`;
    log.error({ org: data.org, today: data.today }, error);
    return { ok: false, errors: [error] };
  }, 1);
  log.info({ concurrency: options.concurrency, organisations: options.organisations.length }, "working the job queue");

  return {
    stop: async (timeoutMs: number) => {
      await boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
    },
  };
}

/** How one organisation's queued run ended, or that it has not yet. */
export interface DayProgress {
  org: string;
  today: string;
  collections: { source: string; tenant: string; state: string; outcome: JobOutcome | null }[];
  report: { state: string; outcome: JobOutcome | null };
  done: boolean;
  ok: boolean;
}

const ENDED = new Set(["completed", "failed", "cancelled"]);

/** Where each queued organisation's run stands. */
export async function dayProgress(boss: PgBoss, queued: readonly QueuedDay[]): Promise<DayProgress[]> {
  const out: DayProgress[] = [];
  for (const day of queued) {
    const collections = [];
    for (const c of day.collections) {
      const job = await boss.getJobById<JobData>(JOBS, c.jobId, { includeArchive: true });
      collections.push({ source: c.source, tenant: c.tenant, state: job?.state ?? "unknown", outcome: (job?.output as JobOutcome | undefined) ?? null });
    }
    const job = await boss.getJobById<JobData>(JOBS, day.reportJobId, { includeArchive: true });
    const state = job?.state ?? "waiting for collections";
    const outcome = (job?.output as JobOutcome | undefined) ?? null;
    const done = ENDED.has(state);
    const ok = done && state === "completed" && outcome?.ok === true;
    out.push({ org: day.org, today: day.today, collections, report: { state, outcome }, done, ok });
  }
  return out;
}
