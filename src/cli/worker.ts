import type { Command } from "commander";
import { ConfigError, errorMessage } from "../core/errors.ts";
import { runDailyJob } from "../schedule/daily-job.ts";
import { enqueueDay, openQueue, workQueue } from "../schedule/job-queue.ts";
import { startWorker, type Worker } from "../schedule/worker.ts";
import { openDatabase } from "../store/database.ts";
import { createContext, withDatabase, type CliContext } from "./context.ts";

interface WorkerOptions {
  mail: boolean;
  runNow?: boolean;
  schedule: boolean;
  concurrency?: string;
}

/** Resolves once SIGTERM or SIGINT asks the worker to stop; `onStop` does the stopping. */
function stopSignal(context: CliContext, onStop: () => Promise<void>): { done: Promise<void>; dispose(): void } {
  let stopping = false;
  let stopped!: () => void;
  const done = new Promise<void>((resolve) => (stopped = resolve));
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    context.log.info({ signal }, "stopping");
    onStop().then(stopped, (error: unknown) => {
      context.log.error({ err: errorMessage(error) }, "error while stopping");
      stopped();
    });
  };
  const onTerm = () => stop("SIGTERM");
  const onInt = () => stop("SIGINT");
  process.once("SIGTERM", onTerm);
  process.once("SIGINT", onInt);
  return {
    done,
    dispose: () => {
      process.removeListener("SIGTERM", onTerm);
      process.removeListener("SIGINT", onInt);
    },
  };
}

/**
 * On PostgreSQL: work the job queue (`concurrency` jobs at once) and, unless --no-schedule, queue
 * each day's jobs at CRON_SCHEDULE (every worker may: a day is queued once).
 */
async function queueWorker(context: CliContext, databaseUrl: string, options: WorkerOptions, concurrency: number): Promise<number> {
  const { config, log } = context;
  const organisations = context.organisations();
  // Migrations first (one command at a time), then one database for the worker's life.
  await withDatabase(context, async () => undefined);
  const db = await openDatabase({ databaseUrl, dataDir: config.dataDir, warn: (m) => log.warn(m) });
  let boss: Awaited<ReturnType<typeof openQueue>> | null = null;
  let queue: Awaited<ReturnType<typeof workQueue>> | null = null;
  let schedule: Worker | null = null;
  const signal = stopSignal(context, async () => {
    await schedule?.stop(5_000);
    await queue?.stop(25_000);
    await db.close();
  });
  try {
    boss = await openQueue(databaseUrl, { expireSeconds: config.jobExpireSeconds, log });
    queue = await workQueue({ db, boss, organisations, concurrency, mail: options.mail, log, runId: context.runId });
    const enqueue = async () => {
      const queued = await enqueueDay(boss!, organisations);
      log.info({ organisations: queued.length, collections: queued.reduce((n, q) => n + q.collections.length, 0) }, "queued the day's jobs");
    };
    if (options.schedule) schedule = startWorker({ schedule: config.cronSchedule, timezone: config.reportTimezone, log, job: enqueue });
    if (options.runNow) await enqueue();
  } catch (error) {
    signal.dispose();
    await queue?.stop(1_000).catch(() => undefined);
    await boss?.stop({ graceful: false }).catch(() => undefined);
    await db.close();
    throw error;
  }
  await signal.done;
  return 0;
}

/** `kansa worker`: the job queue on PostgreSQL, the daily job on CRON_SCHEDULE on the embedded database. */
export function registerWorker(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("worker")
    .description(
      "Long-running process. On PostgreSQL (DATABASE_URL): works the job queue (each organisation's collections and report; run as many workers as you like) and queues each day's jobs at CRON_SCHEDULE. On the embedded database: runs the daily job (as `kansa run`) on CRON_SCHEDULE. Stops cleanly on SIGTERM.",
    )
    .option("--no-mail", "build and store the reports without sending them")
    .option("--run-now", "also queue (or run) today's jobs at start")
    .option("--no-schedule", "only work the queue: do not queue days at CRON_SCHEDULE (Scheduler runs `kansa enqueue`)")
    .option("--concurrency <n>", "jobs (collections or reports) this process runs at once on PostgreSQL (default: WORKER_CONCURRENCY)")
    .action((options: WorkerOptions) =>
      run(async () => {
        const context = createContext();
        const { config, log } = context;
        const concurrency = options.concurrency === undefined ? config.workerConcurrency : Number(options.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) throw new ConfigError(`--concurrency must be an integer from 1 to 32, got "${options.concurrency}".`);
        if (config.databaseUrl) return queueWorker(context, config.databaseUrl, options, concurrency);
        if (options.concurrency !== undefined && concurrency > 1) {
          throw new ConfigError("--concurrency needs PostgreSQL (DATABASE_URL): the embedded database is one process's, which runs the organisations in turn.");
        }
        const organisations = context.organisations();
        let worker: Worker | null = null;
        // The signal handlers come first: a SIGTERM that arrives while the first run (--run-now)
        // is under way must wait for it, not kill the process by the default action.
        const signal = stopSignal(context, async () => worker?.stop(25_000));
        try {
          worker = startWorker({
            schedule: config.cronSchedule,
            timezone: config.reportTimezone,
            log,
            // The database is opened per run, so that `kansa run` by hand can use it in between.
            job: async () => {
              for (const organisation of organisations) {
                const result = await withDatabase(context, (db) => runDailyJob(db, organisation, { mail: options.mail, log, runId: context.runId }), { runLock: { waitMs: 0 } });
                if (result.failed) log.warn({ org: organisation.name, errors: result.errors }, "the run finished with errors");
              }
            },
          });
        } catch (error) {
          signal.dispose();
          throw error;
        }
        if (options.runNow) void worker.runNow();
        await signal.done;
        return 0;
      }),
    );
}
