import type { Command } from "commander";
import { errorMessage } from "../core/errors.ts";
import { runDailyJob } from "../schedule/daily-job.ts";
import { startWorker, type Worker } from "../schedule/worker.ts";
import { createContext, withDatabase } from "./context.ts";

/** `kansa worker`: run the daily job on CRON_SCHEDULE until SIGTERM/SIGINT. */
export function registerWorker(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("worker")
    .description("Long-running process: runs the daily job (as `kansa run`) on CRON_SCHEDULE in REPORT_TIMEZONE; stops cleanly on SIGTERM.")
    .option("--no-mail", "build and store the reports without sending them")
    .option("--run-now", "also run the job once at start")
    .action((options: { mail: boolean; runNow?: boolean }) =>
      run(async () => {
        const context = createContext();
        const { config, log } = context;
        // The signal handlers come first: a SIGTERM that arrives while the first run (--run-now)
        // is under way must wait for it, not kill the process by the default action.
        let worker: Worker | null = null;
        let stopping = false;
        let stopped!: () => void;
        const done = new Promise<void>((resolve) => (stopped = resolve));
        const stop = (signal: string) => {
          if (stopping) return;
          stopping = true;
          log.info({ signal }, "stopping");
          (worker ? worker.stop(25_000) : Promise.resolve()).then(stopped, (error: unknown) => {
            log.error({ err: errorMessage(error) }, "error while stopping");
            stopped();
          });
        };
        const onTerm = () => stop("SIGTERM");
        const onInt = () => stop("SIGINT");
        process.once("SIGTERM", onTerm);
        process.once("SIGINT", onInt);
        try {
          worker = startWorker({
            schedule: config.cronSchedule,
            timezone: config.reportTimezone,
            log,
            // The database is opened per run, so that `kansa run` by hand can use it in between.
            job: async () => {
              const result = await withDatabase(context, (db) => runDailyJob(db, config, { mail: options.mail, log, runId: context.runId }), { runLock: { waitMs: 0 } });
              if (result.failed) log.warn({ errors: result.errors }, "the run finished with errors");
            },
          });
        } catch (error) {
          process.removeListener("SIGTERM", onTerm);
          process.removeListener("SIGINT", onInt);
          throw error;
        }
        if (options.runNow) void worker.runNow();
        await done;
        return 0;
      }),
    );
}
