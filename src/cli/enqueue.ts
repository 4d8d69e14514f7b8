import type { Command } from "commander";
import { setTimeout as sleep } from "node:timers/promises";
import { ConfigError, InputError } from "../core/errors.ts";
import { parseDay } from "../core/calendar.ts";
import { dayProgress, enqueueDay, openQueue, type DayProgress } from "../schedule/job-queue.ts";
import { displayText } from "../core/display-text.ts";
import { createContext, printJson, withDatabase } from "./context.ts";

/** One line on where an organisation's queued run stands. */
function progressLine(p: DayProgress): string {
  const ok = p.collections.filter((c) => c.state === "completed" && c.outcome?.ok).length;
  const report = p.report.state === "completed" ? (p.report.outcome?.mailed ? "report mailed" : "report done") : `report ${p.report.state}`;
  const errors = [...p.collections.flatMap((c) => c.outcome?.errors ?? []), ...(p.report.outcome?.errors ?? [])];
  const status = p.done ? (p.ok ? "ok" : "FAILED") : "running";
  return `${status.padEnd(7)} ${p.org} ${p.today}: ${ok}/${p.collections.length} collection(s) ok, ${report}${errors.length > 0 ? `; ${errors.map((e) => displayText(e, 300)).join("; ")}` : ""}`;
}

/** `kansa enqueue`: queue a day's jobs of every organisation (what Scheduler runs beside workers). */
export function registerEnqueue(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("enqueue")
    .description("Queue the day's jobs (each organisation's collections, then its report) for `kansa worker` processes on PostgreSQL. A day queued twice is queued once.")
    .option("--today <YYYY-MM-DD>", "the run's date (default: today in each organisation's REPORT zone); the report covers the day before")
    .option("--org <name>", "only this organisation of KANSA_CONFIG")
    .option("--wait", "return when the day's jobs have all ended: exit 0 when all succeeded, 1 otherwise")
    .option("--timeout <seconds>", "with --wait, give up after this long (exit 1)", "3600")
    .option("--json", "print where each organisation's run stands as JSON")
    .action((options: { today?: string; org?: string; wait?: boolean; timeout: string; json?: boolean }) =>
      run(async () => {
        if (options.today !== undefined) parseDay(options.today);
        const timeout = Number(options.timeout);
        if (!Number.isFinite(timeout) || timeout <= 0) throw new InputError(`--timeout must be a number of seconds > 0, got "${options.timeout}".`);
        const context = createContext();
        const { config, log } = context;
        if (!config.databaseUrl) throw new ConfigError("kansa enqueue needs PostgreSQL (DATABASE_URL): on the embedded database, `kansa run` does the day in one process.");
        const organisations = options.org !== undefined ? [context.organisation(options.org)] : context.organisations();
        await withDatabase(context, async () => undefined); // the schema, before any worker needs it
        const boss = await openQueue(config.databaseUrl, { expireSeconds: config.jobExpireSeconds, log, maintain: false });
        try {
          const queued = await enqueueDay(boss, organisations, options.today !== undefined ? { today: options.today } : {});
          log.info({ organisations: queued.length, collections: queued.reduce((n, q) => n + q.collections.length, 0) }, "queued the day's jobs");
          let progress = await dayProgress(boss, queued);
          if (options.wait) {
            const deadline = Date.now() + timeout * 1000;
            while (!progress.every((p) => p.done) && Date.now() < deadline) {
              await sleep(1000);
              progress = await dayProgress(boss, queued);
            }
          }
          if (options.json) printJson(progress);
          else process.stdout.write(`${progress.map(progressLine).join("\n")}\n`);
          if (!options.wait) return 0;
          if (!progress.every((p) => p.done)) {
            process.stderr.write(`kansa: the day's jobs had not all ended after ${timeout} s (are workers running? \`kansa worker\`).\n`);
            return 1;
          }
          return progress.every((p) => p.ok) ? 0 : 1;
        } finally {
          await boss.stop({ graceful: false, wait: true });
        }
      }),
    );
}
