import type { Command } from "commander";
import cliProgress from "cli-progress";
import { ConfigError } from "../core/errors.ts";
import { addDays, daysBetween, monthDays, parseDay, parseMonth, todayIn } from "../report/calendar.ts";
import { configuredSources, sourceRegistry } from "../sources/registry.ts";
import { artifactsDirFor, backfill } from "../schedule/backfill.ts";
import { withRunLock } from "../schedule/run-lock.ts";
import { runDailyReport, summarizeReport } from "../schedule/daily-report.ts";
import { createContext, printJson, withDatabase } from "./context.ts";

interface BackfillCliOptions {
  from?: string;
  to?: string;
  month?: string;
  report?: boolean;
  json?: boolean;
}

/** `kansa backfill --from D --to D | --month YYYY-MM [--report]`. */
export function registerBackfill(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("backfill")
    .description("Collect and store a range of days from every configured source (resumable; mails nothing).")
    .option("--from <day>", "first day, YYYY-MM-DD in the report time zone")
    .option("--to <day>", "last day, YYYY-MM-DD, included (default: yesterday)")
    .option("--month <YYYY-MM>", "a whole month (instead of --from/--to)")
    .option("--report", "also build (not mail) each day's report and print its summary")
    .option("--json", "print the result as JSON")
    .action((options: BackfillCliOptions) =>
      run(async () => {
        if (options.month && (options.from || options.to)) throw new ConfigError("Give either --month or --from/--to, not both.");
        if (!options.month && !options.from) throw new ConfigError("Give --month YYYY-MM, or --from YYYY-MM-DD [--to YYYY-MM-DD].");
        const context = createContext();
        const { config, log } = context;
        const yesterday = addDays(todayIn(config.reportTimezone), -1);
        let from: string;
        let to: string;
        if (options.month) {
          const days = monthDays(parseMonth(options.month, "--month"));
          from = days.first;
          to = days.last < yesterday ? days.last : yesterday;
        } else {
          from = parseDay(options.from!, "--from");
          to = options.to ? parseDay(options.to, "--to") : yesterday;
        }
        if (from > to) throw new ConfigError(`--from (${from}) must not come after --to (${to}); a backfill ends yesterday at the latest.`);
        const sources = configuredSources(config);
        if (sources.length === 0) {
          throw new ConfigError(
            `No source is configured: set ${sourceRegistry.map((s) => s.settings.join(", ")).join("; or ")}. (Files you downloaded go in with \`kansa import\`.)`,
          );
        }
        const bar = process.stderr.isTTY && !options.json
          ? new cliProgress.SingleBar({ format: "{source} |{bar}| {percentage}% {day}", hideCursor: true }, cliProgress.Presets.shades_classic)
          : null;
        return withDatabase(context, (db) =>
          withRunLock(db, async () => {
            bar?.start(100, 0, { source: "", day: from });
            const result = await backfill(db, config, sources, {
              from,
              to,
              log,
              artifactsDir: artifactsDirFor(config, context.runId),
              onProgress: (source, fraction, cursor) => {
                const day = cursor.slice(0, 10);
                if (bar) bar.update(Math.round(fraction * 100), { source: source.name, day });
                else log.info({ source: source.name, done: `${Math.round(fraction * 100)}%`, at: cursor }, "backfill progress");
              },
            });
            bar?.update(100);
            bar?.stop();
            const reports = [];
            if (options.report) {
              for (const day of daysBetween(from, to)) {
                const { report } = await runDailyReport(db, config, { today: addDays(day, 1), log, mail: false });
                reports.push(report);
                if (!options.json) console.log(summarizeReport(report));
              }
            }
            if (options.json) printJson({ ...result, ...(options.report ? { reports } : {}) });
            else {
              console.log(`Backfilled ${from} to ${to}.`);
              for (const [source, at] of Object.entries(result.resumed)) console.log(`  ${source}: resumed an unfinished backfill at ${at}.`);
              for (const r of result.results) {
                console.log(`  ${r.source} (${r.tenant}): collected ${r.collected}, stored ${r.stored}, duplicates ${r.duplicates}, rejected ${r.rejected}.`);
                for (const w of r.warnings) console.log(`    warning: ${w}`);
                for (const e of r.errors) console.error(`    error: ${e}`);
              }
            }
            return result.failed ? 1 : 0;
          }, { waitMs: 0 }),
        );
      }),
    );
}
