import type { Command } from "commander";
import { pruneDatabase } from "../store/prune.ts";
import { addDays, todayIn } from "../core/calendar.ts";
import { createContext, printJson, withDatabase } from "./context.ts";

/** `kansa prune`: apply RETENTION_DAYS now. */
export function registerPrune(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("prune")
    .description("Delete events older than RETENTION_DAYS, counted back from yesterday (never the month before it, a baseline or an unsent report).")
    .option("--json", "print what was removed as JSON")
    .action((options: { json?: boolean }) =>
      run(async () => {
        const context = createContext();
        const { config } = context;
        return withDatabase(context, async (db) => {
          // As the daily run of today would: counted back from yesterday, the day it reports.
          const reportedDay = addDays(todayIn(config.reportTimezone), -1);
          const result = await pruneDatabase(db, { reportedDay, retentionDays: config.retentionDays, zone: config.reportTimezone });
          if (options.json) printJson(result);
          else {
            console.log(
              `Removed ${result.events} event(s) before ${result.cutoff.toISOString()}, ${result.reports} sent report(s) and ${result.runs} run record(s).`,
            );
            if (result.widened) console.log(`RETENTION_DAYS=${config.retentionDays} would cut into the previous month, which detection needs: kept it whole.`);
          }
          return 0;
        });
      }),
    );
}
