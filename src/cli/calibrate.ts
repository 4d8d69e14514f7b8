import type { Command } from "commander";
import { createContext, printJson, withDatabase } from "./context.ts";
import { featureSets, getFeatureSet } from "../encode/registry.ts";
import { parseMonth } from "../core/calendar.ts";
import { calibrateMonth } from "../detect/calibrate-month.ts";
import { organisationScope } from "../schedule/daily-job.ts";

/** `kansa calibrate`: distances of a month's own events, to choose ANOMALY_LENGTH. */
export function registerCalibrate(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("calibrate")
    .description("Percentiles (50, 90, 99, 99.9, max) of a month's own distances and how many events thresholds 3, 5, 10, 20 would flag per day.")
    .requiredOption("--month <YYYY-MM>", "the month in REPORT_TIMEZONE")
    .option("--feature-set <name>", "one feature set (default: every registered one)")
    .option("--org <name>", "the organisation of KANSA_CONFIG (required when it describes several)")
    .action((options: { month: string; featureSet?: string; org?: string }) =>
      run(async () => {
        parseMonth(options.month);
        const sets = options.featureSet ? [getFeatureSet(options.featureSet)] : [...featureSets];
        const context = createContext();
        const organisation = context.organisation(options.org);
        const result = await withDatabase(context, async (db) => {
          const scope = await organisationScope(db, organisation);
          return calibrateMonth(db, organisation.config, options.month, sets, scope?.scopes);
        });
        printJson(result);
        return 0;
      }),
    );
}
