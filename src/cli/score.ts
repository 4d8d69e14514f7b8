import type { Command } from "commander";
import { createContext, withDatabase } from "./context.ts";
import { parseDay } from "../core/calendar.ts";
import { getFeatureSet } from "../encode/registry.ts";
import { scoreDay } from "../detect/score-day.ts";
import { organisationScope } from "../schedule/daily-job.ts";

/** `kansa score`: one JSON line per event of the reported day with its distance. */
export function registerScore(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("score")
    .description("Print one JSON line per event of the day before --today with its distance from last month's baseline.")
    .requiredOption("--today <YYYY-MM-DD>", "the run's date in REPORT_TIMEZONE; the events of the day before are scored")
    .option("--feature-set <name>", "feature set (default: FEATURE_SET)")
    .option("--org <name>", "the organisation of KANSA_CONFIG (required when it describes several)")
    .action((options: { today: string; featureSet?: string; org?: string }) =>
      run(async () => {
        parseDay(options.today);
        if (options.featureSet !== undefined) getFeatureSet(options.featureSet);
        const context = createContext();
        const organisation = context.organisation(options.org);
        const scored = await withDatabase(context, async (db) => {
          const scope = await organisationScope(db, organisation);
          return scoreDay(db, organisation.config, options.today, options.featureSet, scope?.scopes);
        });
        for (const warning of scored.warnings) process.stderr.write(`kansa: ${warning}\n`);
        for (const line of scored.events) process.stdout.write(`${JSON.stringify(line)}\n`);
        return 0;
      }),
    );
}
