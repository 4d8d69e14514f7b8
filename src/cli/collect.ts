import type { Command } from "commander";
import { join } from "node:path";
import { ConfigError } from "../core/errors.ts";
import { addDays, dayRange, parseDay, todayIn } from "../core/calendar.ts";
import type { TimeRange } from "../core/types.ts";
import { sourceEntry, sourceNames } from "../sources/registry.ts";
import { cursorStart } from "../schedule/collection-range.ts";
import { collectSource } from "../schedule/collect-source.ts";
import { finishRun, startRun } from "../store/runs.ts";
import { claimTenants } from "../store/organisation-tenants.ts";
import { createContext, printJson, withDatabase } from "./context.ts";
import { now as clockNow } from "../core/clock.ts";

interface CollectOptions {
  source: string;
  from?: string;
  to?: string;
  json?: boolean;
  org?: string;
  tenant?: string;
}

/** `kansa collect --source NAME [--from D] [--to D]`: one source, store only. */
export function registerCollect(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("collect")
    .description("Collect one source into the database (no report, no mail).")
    .requiredOption("--source <name>", `source to collect: ${sourceNames().join(", ") || "(none registered)"}`)
    .option("--from <day>", "first day to collect, YYYY-MM-DD in the report time zone (default: yesterday; a source that resumes from a cursor: its cursor, else its start setting's days back)")
    .option("--to <day>", "last day to collect, YYYY-MM-DD, included (default: up to now)")
    .option("--org <name>", "the organisation of KANSA_CONFIG (required when it describes several)")
    .option("--tenant <name>", "which of the organisation's instances of the source (when it has several)")
    .option("--json", "print the result as JSON")
    .action((options: CollectOptions) =>
      run(async () => {
        const context = createContext();
        const entry = sourceEntry(options.source);
        if (!entry) {
          throw new ConfigError(`--source must be one of ${sourceNames().join(", ")}, got "${options.source}".`);
        }
        const organisation = context.organisation(options.org);
        const instances = organisation.sources.filter(({ source }) => source.name === entry.name && (options.tenant === undefined || source.tenant === options.tenant));
        if (instances.length === 0) {
          throw new ConfigError(
            organisation.configured
              ? `KANSA_CONFIG gives organisation "${organisation.name}" no ${entry.name} source${options.tenant !== undefined ? ` with tenant "${options.tenant}"` : ""}.`
              : `The ${entry.name} source is not configured: set ${entry.enabledBy.join(", ")}.`,
          );
        }
        if (instances.length > 1) {
          throw new ConfigError(`Organisation "${organisation.name}" has ${instances.length} ${entry.name} sources (${instances.map((i) => i.source.tenant).join(", ")}): name one with --tenant.`);
        }
        const { source, config } = instances[0]!;
        const zone = config.reportTimezone;
        const now = clockNow();
        const from = options.from
          ? dayRange(parseDay(options.from, "--from"), zone).from
          : source.resume.kind === "cursor"
            ? cursorStart(source.resume, now)
            : dayRange(addDays(todayIn(zone, now), -1), zone).from;
        const to = options.to ? dayRange(parseDay(options.to, "--to"), zone).to : now;
        if (from >= to) throw new ConfigError("--from must come before --to.");
        const range: TimeRange = { from, to: to > now ? now : to };
        return withDatabase(context, async (db) => {
          if (organisation.configured) await claimTenants(db, organisation.name, [{ source: source.name, tenant: source.tenant }]);
          const runId = await startRun(db, "collect", null, { org: organisation.name });
          const result = await collectSource(db, source, {
            range,
            config,
            log: context.log,
            artifactsDir: join(config.dataDir, "artifacts", context.runId),
          });
          const failed = result.errors.length > 0;
          const { rejections, ...summary } = result;
          await finishRun(db, runId, failed ? "failed" : "ok", { ...summary, stats: result.stats }, result.errors);
          if (options.json) printJson(result);
          else {
            console.log(
              `${result.source} (${result.tenant}): collected ${result.collected}, stored ${result.stored}, duplicates ${result.duplicates}, rejected ${result.rejected}.`,
            );
            for (const r of rejections) console.log(`  rejected ${r.origin} ${r.locator}: ${r.reason}`);
            for (const w of result.warnings) console.log(`  warning: ${w}`);
            for (const e of result.errors) console.error(`  error: ${e}`);
          }
          return failed ? 1 : 0;
        });
      }),
    );
}
