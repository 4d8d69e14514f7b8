/**
 * `kansa emulate console`: load or generate the audit log, start the emulated console, print
 * where it listens, and run until SIGINT/SIGTERM (or `signal`) ends it.
 */
import { randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import { InputError } from "../../core/errors.ts";
import { startConsoleEmulator, type ConsoleLang } from "./index.ts";
import { generateConsoleCells, loadConsoleCsvFiles } from "./load-data.ts";

export interface ServeConsoleOptions {
  data: string[];
  port: number;
  host: string;
  user: string | undefined;
  password: string | undefined;
  lang: ConsoleLang;
  cap: number;
  sessionTtlSeconds: number;
  saml: boolean;
  windowDays: number | null;
  /** Generated data: days back from yesterday, rows per day, and the zone of the Date cells. */
  days: number;
  perDay: number;
  timezone: string;
  /** Lines for the person running it (stdout). */
  print: (line: string) => void;
  signal?: AbortSignal;
}

/** Serve until stopped; resolves with the exit code. */
export async function serveConsole(options: ServeConsoleOptions): Promise<number> {
  let rows: Record<string, string>[];
  let described: string;
  if (options.data.length > 0) {
    const loaded = await loadConsoleCsvFiles(options.data);
    if (loaded.rows.length === 0) throw new InputError(`No audit-log rows in ${options.data.join(", ")} (${loaded.rejections.length} rejected).`);
    rows = loaded.rows;
    described = `${rows.length} rows from ${loaded.files.length} file(s)${loaded.rejections.length ? `, ${loaded.rejections.length} rejected` : ""}`;
    for (const r of loaded.rejections.slice(0, 10)) options.print(`  rejected ${r.origin} ${r.locator}: ${r.reason}`);
  } else {
    const yesterday = DateTime.now().setZone(options.timezone).minus({ days: 1 });
    const from = yesterday.minus({ days: options.days - 1 }).toISODate()!;
    const to = yesterday.toISODate()!;
    rows = generateConsoleCells({ from, to, perDay: options.perDay, timezone: options.timezone });
    described = `${rows.length} generated rows, ${from} to ${to} (${options.timezone})`;
  }
  const user = options.user ?? "admin";
  const generatedPassword = options.password === undefined;
  const password = options.password ?? randomBytes(9).toString("base64url");
  const emulator = await startConsoleEmulator({
    port: options.port,
    host: options.host,
    user,
    password,
    lang: options.lang,
    rows,
    downloadCap: options.cap,
    sessionTtlMs: options.sessionTtlSeconds * 1000,
    saml: options.saml,
    downloadWindowDays: options.windowDays,
  });
  options.print(`emulated console listening at ${emulator.url}`);
  options.print(`  audit log: ${described}${emulator.skipped ? `, ${emulator.skipped} without a date skipped` : ""}`);
  options.print(`  login: ${user} / ${generatedPassword ? password : "(the password given)"}; UI language ${options.lang}; download cap ${options.cap}`);
  options.print(`  try: KINTONE_HOSTNAME=${emulator.url} KINTONE_ADMIN_ID=${user} KINTONE_ADMIN_PW=... kansa collect --source kintone --from YYYY-MM-DD --to YYYY-MM-DD`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    options.signal?.addEventListener("abort", stop, { once: true });
  });
  await emulator.close();
  options.print("emulated console stopped");
  return 0;
}
