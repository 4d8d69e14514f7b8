import type { Command } from "commander";
import { createContext, printJson, withDatabase } from "./context.ts";
import { parseDay } from "../report/calendar.ts";
import { runDailyReport, summarizeReport } from "../schedule/daily-report.ts";

/** `kansa run`: the daily job (for now: report the day before --today from the store). */
export function registerRun(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("run")
    .description("Report the day before --today: exports, critical events, late-night logins and outliers against last month's baseline.")
    .option("--today <YYYY-MM-DD>", "the run's date in REPORT_TIMEZONE (default: today); the report covers the day before")
    .option("--no-mail", "do not send the report")
    .option("--json", "print the report model (the JSON contract) instead of a summary")
    .option("--feature-set <name>", "feature set for outliers (default: FEATURE_SET)")
    .action((options: { today?: string; mail: boolean; json?: boolean; featureSet?: string }) =>
      run(async () => {
        if (options.today !== undefined) parseDay(options.today);
        const context = createContext();
        const result = await withDatabase(context, (db) =>
          runDailyReport(db, context.config, {
            mail: options.mail,
            log: context.log,
            ...(options.today !== undefined ? { today: options.today } : {}),
            ...(options.featureSet !== undefined ? { featureSet: options.featureSet } : {}),
          }),
        );
        if (options.json) printJson(result.report);
        else process.stdout.write(`${summarizeReport(result.report)}\n`);
        return 0;
      }),
    );
}
