import type { Command } from "commander";
import { errorMessage } from "../core/errors.ts";
import { runDailyJob } from "../schedule/daily-job.ts";
import { startWorker } from "../schedule/worker.ts";
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
        const worker = startWorker({
          schedule: config.cronSchedule,
          timezone: config.reportTimezone,
          log,
          // The database is opened per run, so that `kansa run` by hand can use it in between.
          job: async () => {
            const result = await withDatabase(context, (db) => runDailyJob(db, config, { mail: options.mail, log, runId: context.runId }));
            if (result.failed) log.warn({ errors: result.errors }, "the run finished with errors");
          },
        });
        if (options.runNow) await worker.runNow();
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            log.info({ signal }, "stopping");
            worker.stop(25_000).then(resolve, (error: unknown) => {
              log.error({ err: errorMessage(error) }, "error while stopping");
              resolve();
            });
          };
          process.once("SIGTERM", () => stop("SIGTERM"));
          process.once("SIGINT", () => stop("SIGINT"));
        });
        return 0;
      }),
    );
}
