/**
 * The long-running worker: runs the daily job on a cron schedule in the report time zone,
 * never two at once, logs the next run, and stops cleanly (Heroku sends SIGTERM and allows
 * 30 s): no new run starts after `stop()`, and a run under way is awaited.
 */
import cron, { type ScheduledTask } from "node-cron";
import { ConfigError, errorMessage } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";

export interface WorkerOptions {
  schedule: string;
  timezone: string;
  /** The work of one scheduled run (the daily job). Errors are logged, never thrown out. */
  job: () => Promise<unknown>;
  log: Logger;
}

export interface Worker {
  /** When the next run is due, or null. */
  nextRun(): Date | null;
  /** Run the job now (as the schedule would), unless one is already running. */
  runNow(): Promise<void>;
  /** Stop scheduling and wait for a run under way (at most `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
  readonly running: boolean;
}

/** Validate a cron expression for CRON_SCHEDULE. */
export function validateSchedule(expression: string): void {
  if (!cron.validate(expression)) {
    throw new ConfigError(`CRON_SCHEDULE must be a cron expression such as "0 7 * * *" (minute hour day month weekday), got "${expression}".`);
  }
}

/**
 * The runs due at or after `from`, `count` of them, computed minute by minute with the same
 * matcher the schedule uses (for tests with a fixed clock and for logging).
 */
export function upcomingRuns(expression: string, timezone: string, from: Date, count: number): Date[] {
  validateSchedule(expression);
  const task = cron.createTask(expression, () => undefined, { timezone });
  const out: Date[] = [];
  const minute = 60_000;
  let t = Math.ceil(from.getTime() / minute) * minute;
  const limit = t + 366 * 24 * 60 * minute;
  while (out.length < count && t < limit) {
    if (task.match(new Date(t))) out.push(new Date(t));
    t += minute;
  }
  void task.destroy();
  return out;
}

/** Start the worker. */
export function startWorker(options: WorkerOptions): Worker {
  validateSchedule(options.schedule);
  let current: Promise<void> | null = null;
  let stopped = false;

  const runOnce = async (): Promise<void> => {
    if (stopped) return;
    if (current) {
      options.log.warn("the previous run is still going: this one is skipped");
      return;
    }
    current = (async () => {
      const started = Date.now();
      options.log.info("scheduled run starting");
      try {
        await options.job();
        options.log.info({ ms: Date.now() - started }, "scheduled run finished");
      } catch (error) {
        options.log.error({ err: errorMessage(error) }, "scheduled run failed");
      } finally {
        current = null;
        const next = task.getNextRun();
        if (!stopped && next) options.log.info({ next: next.toISOString() }, "next run");
      }
    })();
    await current;
  };

  const task: ScheduledTask = cron.schedule(options.schedule, runOnce, {
    timezone: options.timezone,
    name: "kansa-daily",
    noOverlap: true,
  });
  const next = task.getNextRun();
  options.log.info({ schedule: options.schedule, timezone: options.timezone, next: next?.toISOString() ?? null }, "worker started");

  return {
    nextRun: () => task.getNextRun(),
    runNow: runOnce,
    get running() {
      return current !== null;
    },
    stop: async (timeoutMs = 25_000) => {
      stopped = true;
      await task.stop();
      await task.destroy();
      if (current) {
        options.log.info("waiting for the run under way before stopping");
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([current, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
        clearTimeout(timer);
      }
      options.log.info("worker stopped");
    },
  };
}
