/**
 * Shared by the schedule tests: run the `kansa` CLI as a user would (a child process with its
 * own environment), small now-relative dates, and reading a database the CLI wrote.
 */
import { DateTime } from "luxon";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { BIN, ROOT, cliEnv, runKansa, runProcess, type Ran } from "../helpers/cli.ts";

export { BIN, ROOT, runKansa as kansa, runProcess, type Ran };
export const ZONE = "Asia/Tokyo";

/** The environment of a child (see `cliEnv`), logging warnings, with the tests' time zone. */
export function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return cliEnv({ LOG_LEVEL: "warn", REPORT_TIMEZONE: ZONE, CONSOLE_TIMEZONE: ZONE, ...extra });
}

/** Open the database the CLI used (PostgreSQL URL or embedded folder), run `work`, close it. */
export async function withStore<T>(where: { databaseUrl?: string; dataDir?: string }, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ databaseUrl: where.databaseUrl, dataDir: where.dataDir ?? "" });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** Today in the report zone, and day arithmetic on YYYY-MM-DD keys. */
export function todayIn(zone = ZONE): string {
  return DateTime.now().setZone(zone).toISODate()!;
}

export function addDays(day: string, n: number): string {
  return DateTime.fromISO(day, { zone: "UTC" }).plus({ days: n }).toISODate()!;
}

/** The month (YYYY-MM) before the month of `day`. */
export function previousMonth(day: string): string {
  return DateTime.fromISO(day, { zone: "UTC" }).minus({ months: 1 }).toFormat("yyyy-MM");
}

/**
 * A `--today` for the tests: the 4th of the current month (so the reported day is the 3rd and
 * the data is the previous month plus three days), or of the previous month early in a month.
 */
export function reportToday(now = todayIn()): string {
  const d = DateTime.fromISO(now, { zone: "UTC" });
  const fourth = d.day >= 5 ? d.set({ day: 4 }) : d.minus({ months: 1 }).set({ day: 4 });
  return fourth.toISODate()!;
}

/** Wait until `check()` is true (polling), or throw after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
