import type { Command } from "commander";
import { InputError } from "../core/errors.ts";
import { createContext, printJson, withDatabase } from "./context.ts";
import { parseDay } from "../report/calendar.ts";
import { runDailyReport, summarizeReport } from "../schedule/daily-report.ts";
import { deliverReport, describeDelivery } from "../mail/deliver.ts";
import { mailSettingsFromConfig } from "../mail/transport.ts";

/** `kansa run`: the daily job (for now: report the day before --today from the store). */
export function registerRun(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("run")
    .description("Report the day before --today: exports, critical events, late-night logins and outliers against last month's baseline.")
    .option("--today <YYYY-MM-DD>", "the run's date in REPORT_TIMEZONE (default: today); the report covers the day before")
    .option("--no-mail", "do not send the report")
    .option("--resend", "send the day's report again even if it was sent already")
    .option("--json", "print the report model (the JSON contract) instead of a summary")
    .option("--feature-set <name>", "feature set for outliers (default: FEATURE_SET)")
    .action((options: { today?: string; mail: boolean; resend?: boolean; json?: boolean; featureSet?: string }) =>
      run(async () => {
        if (options.today !== undefined) parseDay(options.today);
        if (options.resend && !options.mail) throw new InputError("--resend and --no-mail contradict each other: choose one.");
        const context = createContext();
        if (options.mail) mailSettingsFromConfig(context.config); // a mail setting error stops the run before any work
        const result = await withDatabase(context, async (db) => {
          const daily = await runDailyReport(db, context.config, {
            mail: options.mail,
            log: context.log,
            ...(options.today !== undefined ? { today: options.today } : {}),
            ...(options.featureSet !== undefined ? { featureSet: options.featureSet } : {}),
          });
          const delivery = options.mail ? await deliverReport(db, context.config, daily.report, { resend: options.resend ?? false, log: context.log }) : null;
          return { ...daily, delivery };
        });
        if (options.json) printJson(result.report);
        else process.stdout.write(`${summarizeReport(result.report)}\n`);
        if (result.delivery) process.stderr.write(`${describeDelivery(result.delivery)}\n`);
        return result.delivery?.error ? 1 : 0;
      }),
    );
}
