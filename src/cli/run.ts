import type { Command } from "commander";
import { InputError } from "../core/errors.ts";
import { parseDay } from "../core/calendar.ts";
import { createContext, printJson, withDatabase } from "./context.ts";
import { summarizeReport } from "../schedule/daily-report.ts";
import { nothingToRun, runDailyJob, type DailyJobResult } from "../schedule/daily-job.ts";
import { describeDelivery } from "../mail/deliver.ts";
import { mailSettingsFromConfig } from "../mail/transport.ts";

/** `kansa run`: the daily job (what Heroku Scheduler runs). */
export function registerRun(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("run")
    .description(
      "The daily job: collect every configured source, then report the day before --today (its findings, ranked by severity, against last month), mail it, and prune.",
    )
    .option("--today <YYYY-MM-DD>", "the run's date in REPORT_TIMEZONE (default: today); the report covers the day before")
    .option("--no-mail", "do not send the report")
    .option("--resend", "send the day's report again even if it was sent already")
    .option("--json", "print the report model (the JSON contract) instead of a summary")
    .option("--feature-set <name>", "feature set for outliers (default: FEATURE_SET)")
    .option("--wait <seconds>", "wait this long for another run that holds the lock (0: stop at once)", "0")
    .option("--org <name>", "the organisation of KANSA_CONFIG to run (default: each in turn)")
    .action((options: { today?: string; mail: boolean; resend?: boolean; json?: boolean; featureSet?: string; wait: string; org?: string }) =>
      run(async () => {
        if (options.today !== undefined) parseDay(options.today);
        if (options.resend && !options.mail) throw new InputError("--resend and --no-mail contradict each other: choose one.");
        const waitSeconds = Number(options.wait);
        if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new InputError(`--wait must be a number of seconds ≥ 0, got "${options.wait}".`);
        const context = createContext();
        const organisations = options.org !== undefined ? [context.organisation(options.org)] : context.organisations();
        // A mail setting error stops the run before any work.
        if (options.mail) for (const organisation of organisations) mailSettingsFromConfig(organisation.config);
        const results = await withDatabase(
          context,
          async (db) => {
            const out: (string | DailyJobResult)[] = [];
            for (const organisation of organisations) {
              const nothing = await nothingToRun(db, organisation);
              if (nothing) {
                out.push(nothing);
                continue;
              }
              out.push(
                await runDailyJob(db, organisation, {
                  mail: options.mail,
                  resend: options.resend ?? false,
                  log: context.log,
                  runId: context.runId,
                  lockWaitMs: waitSeconds * 1000,
                  ...(options.today !== undefined ? { today: options.today } : {}),
                  ...(options.featureSet !== undefined ? { featureSet: options.featureSet } : {}),
                }),
              );
            }
            return out;
          },
          { runLock: { waitMs: waitSeconds * 1000 } },
        );
        const reports = results.filter((r): r is DailyJobResult => typeof r !== "string");
        for (const result of results) if (typeof result === "string") process.stderr.write(`kansa: ${result}\n`);
        if (reports.length === 0) return 2;
        if (options.json) printJson(organisations.length === 1 ? reports[0]!.report : reports.map((r) => r.report));
        else process.stdout.write(`${reports.map((r) => summarizeReport(r.report)).join("\n\n")}\n`);
        for (const result of reports) {
          if (result.delivery) process.stderr.write(`${describeDelivery(result.delivery)}\n`);
          for (const error of result.errors) process.stderr.write(`kansa: ${error}\n`);
        }
        return reports.some((r) => r.failed) || reports.length < results.length ? 1 : 0;
      }),
    );
}
