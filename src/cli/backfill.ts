import type { Command } from "commander";
import { ConfigError } from "../core/errors.ts";
import { now } from "../core/clock.ts";
import { addDays, daysBetween, monthDays, parseDay, parseMonth, todayIn } from "../core/calendar.ts";
import { sourceRegistry } from "../sources/registry.ts";
import { artifactsDirFor, backfill, describeInterruption } from "../schedule/backfill.ts";
import { runLockOf, withRunLock } from "../schedule/run-lock.ts";
import { organisationScope } from "../schedule/daily-job.ts";
import { runDailyReport, summarizeReport } from "../schedule/daily-report.ts";
import { createContext, printJson, withDatabase } from "./context.ts";
import { startProgressBar, type ProgressBar } from "./progress-bar.ts";

interface BackfillCliOptions {
  from?: string;
  to?: string;
  month?: string;
  report?: boolean;
  json?: boolean;
  org?: string;
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
    .option("--org <name>", "the organisation of KANSA_CONFIG whose sources to backfill (required when it describes several)")
    .action((options: BackfillCliOptions) =>
      run(async () => {
        if (options.month && (options.from || options.to)) throw new ConfigError("Give either --month or --from/--to, not both.");
        if (!options.month && !options.from) throw new ConfigError("Give --month YYYY-MM, or --from YYYY-MM-DD [--to YYYY-MM-DD].");
        const context = createContext();
        const { log } = context;
        const organisation = context.organisation(options.org);
        const { config } = organisation;
        const yesterday = addDays(todayIn(config.reportTimezone, now()), -1);
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
        const sources = organisation.sources.map((instance) => instance.source);
        if (sources.length === 0 && organisation.configured) throw new ConfigError(`KANSA_CONFIG gives organisation "${organisation.name}" no source to backfill.`);
        if (sources.length === 0) {
          throw new ConfigError(
            `No source is configured: set ${sourceRegistry.map((s) => s.enabledBy.join(", ")).join("; or ")}. (Files you downloaded go in with \`kansa import\`.)`,
          );
        }
        // Ctrl-C stops after the batch under way (stored, progress recorded), closes the browser
        // and the database, and says what was saved and how to resume; a second Ctrl-C stops at once.
        const stop = new AbortController();
        const onInterrupt = () => {
          if (stop.signal.aborted) {
            process.removeListener("SIGINT", onInterrupt);
            process.kill(process.pid, "SIGINT");
            return;
          }
          log.warn("stopping after the batch under way (Ctrl-C again to stop at once)");
          stop.abort();
        };
        process.on("SIGINT", onInterrupt);
        let bar: ProgressBar | null = null;
        try {
          const outcome = await withDatabase(
            context,
            (db) =>
              withRunLock(db, async () => {
                bar = process.stderr.isTTY && !options.json ? startProgressBar("{source} |{bar}| {percentage}% {day}", { source: "", day: from }) : null;
                const result = await backfill(db, config, sources, {
                  from,
                  to,
                  log,
                  signal: stop.signal,
                  artifactsDir: artifactsDirFor(config, context.runId),
                  onProgress: (source, fraction, cursor) => {
                    const day = cursor.slice(0, 10);
                    if (bar) bar.update(Math.round(fraction * 100), { source: source.name, day });
                    else log.info({ source: source.name, done: `${Math.round(fraction * 100)}%`, at: cursor }, "backfill progress");
                  },
                });
                if (!result.interrupted) bar?.update(100, {});
                bar?.stop();
                if (result.interrupted) return { result, code: 130 };
                const reports = [];
                if (options.report) {
                  const scope = await organisationScope(db, organisation);
                  for (const day of daysBetween(from, to)) {
                    const { report } = await runDailyReport(db, config, { today: addDays(day, 1), log, mail: false, ...(scope ? { organisation: scope } : {}) });
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
                return { result, code: result.failed ? 1 : 0 };
              }, { name: runLockOf(organisation.name), waitMs: 0 }),
            { runLock: { waitMs: 0 } },
          );
          // Said last, once the browser and the database are closed.
          if (outcome.result.interrupted) {
            if (options.json) printJson(outcome.result);
            process.stderr.write(`${describeInterruption(outcome.result, sources, config.reportTimezone)}\n`);
          }
          return outcome.code;
        } finally {
          (bar as ProgressBar | null)?.stop();
          process.removeListener("SIGINT", onInterrupt);
        }
      }),
    );
}
