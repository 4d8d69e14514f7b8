/**
 * `npm run demo`: the whole daily job on the embedded database, with nothing but this repository
 * and Chromium. It generates two months of an 80-person organisation's audit logs, serves them
 * from the emulated console and the emulated Auth0 on loopback, backfills the previous month
 * through the real scraper (Chromium) and the real API client, runs the day's job, receives the
 * mail on a local SMTP server, and writes the report to ./demo-out/ (HTML, text, .eml, PNG).
 * Without Chromium it says how to get it and imports the console's CSV files instead.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { DateTime } from "luxon";
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";
import { projectRoot } from "../src/core/paths.ts";
import { generateDataset, writeSample } from "../src/tools/generator/index.ts";
import { startConsoleEmulator } from "../src/tools/console-emulator/index.ts";
import { startAuth0Emulator } from "../src/tools/auth0-emulator/index.ts";
import { launchBrowser } from "../src/sources/kintone/browser.ts";
import { chromiumExecutable } from "../src/sources/kintone/settings.ts";
import { loadConfig } from "../src/sources/config.ts";

const ZONE = "Asia/Tokyo";
const out = resolve(projectRoot, "demo-out");
const say = (line: string) => process.stdout.write(`demo: ${line}\n`);

/** Run the kansa CLI as a user would, with `env`; resolves with its exit code. */
function kansa(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  say(`kansa ${args.join(" ")}`);
  return new Promise((resolveExit, reject) => {
    const child = spawn(process.execPath, [join(projectRoot, "bin", "kansa.js"), ...args], { env, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code) => resolveExit(code ?? 1));
  });
}

/** A local SMTP server that keeps what it receives. */
async function startMailCatcher(): Promise<{ port: number; messages: Buffer[]; close(): Promise<void> }> {
  const messages: Buffer[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        messages.push(Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { port, messages, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function main(): Promise<number> {
  const now = new Date();
  const today = DateTime.fromJSDate(now, { zone: ZONE }).toISODate()!;
  const previousMonth = DateTime.fromJSDate(now, { zone: ZONE }).minus({ months: 1 }).toFormat("yyyy-MM");
  const from = `${previousMonth}-01`;
  const to = DateTime.fromISO(today).minus({ days: 1 }).toISODate()!;

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  say(`generating ${from} to ${to} for an organisation of 80 people (with injected anomalies and a few hostile strings)`);
  // The injected anomalies land on the reported day (yesterday), so the report has something to show.
  const dataset = generateDataset({ from, to, timezone: ZONE, anomalies: { from: to, to }, hostile: true });
  const sample = await writeSample(join(out, "sample"), { dataset, lang: "ja", encoding: "utf8bom" });
  say(`${sample.consoleRows} console rows and ${sample.auth0Events} Auth0 events written under ${relative(process.cwd(), sample.dir)}/`);

  const chromiumPath = chromiumExecutable(loadConfig().chromiumPath);
  const consoleLogin = { user: "demo-admin", password: `demo-${randomUUID()}` };
  const auth0Secret = `secret-${randomUUID()}`;
  const consoleEmulator = await startConsoleEmulator({ ...consoleLogin, rows: dataset.consoleRows.map((r) => r.cells), lang: "ja" });
  // Retention off and no rate limit: the demo backfills a whole month through the API client.
  const auth0Emulator = await startAuth0Emulator({ events: dataset.auth0Events, retentionDays: null, rate: "off", clientSecret: auth0Secret });
  const mail = await startMailCatcher();
  say(`emulated console at ${consoleEmulator.url}, emulated Auth0 at ${auth0Emulator.url}, SMTP catcher on port ${mail.port}`);

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    KANSA_DATA_DIR: join(out, "data"),
    REPORT_TIMEZONE: ZONE,
    CONSOLE_TIMEZONE: ZONE,
    AUTH0_DOMAIN: auth0Emulator.url,
    AUTH0_CLIENT_ID: auth0Emulator.clientId,
    AUTH0_CLIENT_SECRET: auth0Secret,
    AUTH0_TENANT: dataset.organisation.auth0Domain,
    AUTH0_START_DAYS: "62",
    // The emulated tenant keeps everything (an Enterprise plan keeps 30 days; the demo reaches 53 back).
    AUTH0_RETENTION_DAYS: "90",
    KINTONE_TENANT: dataset.organisation.consoleHost,
    SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
    MAIL_FROM: "kansa demo <kansa@example.com>",
    // The demo scores with the `profile` feature set: on this generated organisation the
    // seed's `classic` vectors put none of the injected incidents past ANOMALY_LENGTH=10 (its
    // recall there is 0%, see the README's evaluation), so the outlier section would be empty.
    // `FEATURE_SET=classic npm run demo` shows the default.
    FEATURE_SET: process.env.FEATURE_SET ?? "profile",
    SEND_TO_LIST: "security@example.com,it-admin@example.com",
  };
  let exitCode = 0;
  try {
    if (chromiumPath) {
      Object.assign(env, { KINTONE_HOSTNAME: consoleEmulator.url, KINTONE_ADMIN_ID: consoleLogin.user, KINTONE_ADMIN_PW: consoleLogin.password, CHROMIUM_PATH: chromiumPath });
    } else {
      say("Chromium was not found, so the console cannot be scraped. Install it (Debian/Ubuntu: `sudo apt-get install chromium`; or set CHROMIUM_PATH) and run the demo again. Meanwhile the console's CSV files are imported instead.");
      exitCode = (await kansa(["import", ...sample.consoleFiles, "--tenant", dataset.organisation.consoleHost], env)) || exitCode;
    }
    exitCode = (await kansa(["backfill", "--month", previousMonth], env)) || exitCode;
    exitCode = (await kansa(["run", "--today", today], env)) || exitCode;
  } finally {
    await consoleEmulator.close();
    await auth0Emulator.close();
    await mail.close();
  }

  const raw = mail.messages[0];
  if (!raw) {
    say("no mail arrived: see the errors above.");
    return 1;
  }
  const parsed = await simpleParser(raw);
  const html = typeof parsed.html === "string" ? parsed.html : "";
  writeFileSync(join(out, "report.eml"), raw);
  writeFileSync(join(out, "report.html"), html);
  writeFileSync(join(out, "report.txt"), parsed.text ?? "");
  if (chromiumPath) {
    const browser = await launchBrowser(chromiumPath, 30_000);
    try {
      const page = await browser.newPage({ viewport: { width: 800, height: 1000 } });
      await page.setContent(html, { waitUntil: "load" });
      await page.screenshot({ path: join(out, "report.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  }
  say(`${mail.messages.length} mail(s) received by the SMTP catcher.`);
  say(`subject: ${parsed.subject ?? ""}`);
  say(`report written to ${relative(process.cwd(), out) || "."}/ (report.html, report.txt, report.eml${chromiumPath ? ", report.png" : ""})`);
  if (!existsSync(join(out, "report.html"))) return 1;
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
