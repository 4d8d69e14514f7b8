import { Option, type Command } from "commander";
import { ConfigError } from "../core/errors.ts";
import { createContext } from "./context.ts";

type Run = (work: () => Promise<number>) => void;

function integer(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${value}".`);
    return n;
  };
}

interface ConsoleOptions {
  data?: string[];
  port: number;
  host: string;
  user?: string;
  password?: string;
  lang: "ja" | "en";
  cap: number;
  sessionTtl: number;
  saml?: boolean;
  windowDays?: number;
  days: number;
  perDay: number;
}

/** `kansa emulate console`: the emulated Kintone-style admin console. */
function registerEmulateConsole(emulate: Command, run: Run): void {
  emulate
    .command("console")
    .description("Serve an emulated Kintone-style admin console (login form, audit log, CSV download) until stopped.")
    .option("--data <path...>", "console CSV files or folders to serve (default: a generated audit log)")
    .option("--port <n>", "port to listen on (0: any free port)", integer("--port", 0), 0)
    .option("--host <address>", "interface to listen on", "127.0.0.1")
    .option("--user <login>", "login name the console accepts (default: KINTONE_ADMIN_ID, else admin)")
    .option("--password <password>", "password the console accepts (default: KINTONE_ADMIN_PW, else a generated one that is printed)")
    .addOption(new Option("--lang <lang>", "UI language: page labels, CSV header and level names").choices(["ja", "en"]).default("ja"))
    .option("--cap <rows>", "most rows one download returns", integer("--cap", 1), 100_000)
    .option("--session-ttl <seconds>", "a session ends after this long without a request", integer("--session-ttl", 1), 7200)
    .option("--saml", "SAML single sign-on is on: /login shows the SSO notice unless ?saml=off")
    .option("--window-days <days>", "downloads reach only this many days back from the newest entry (the real console: 42)", integer("--window-days", 1))
    .option("--days <n>", "generated data: days up to yesterday", integer("--days", 1), 42)
    .option("--per-day <n>", "generated data: rows per day on average", integer("--per-day", 1), 1500)
    .action((options: ConsoleOptions) =>
      run(async () => {
        const { config } = createContext();
        const { serveConsole } = await import("../tools/console-emulator/serve.ts");
        return serveConsole({
          data: options.data ?? [],
          port: options.port,
          host: options.host,
          user: options.user ?? config.kintoneAdminId,
          password: options.password ?? config.kintoneAdminPw,
          lang: options.lang,
          cap: options.cap,
          sessionTtlSeconds: options.sessionTtl,
          saml: options.saml ?? false,
          windowDays: options.windowDays ?? null,
          days: options.days,
          perDay: options.perDay,
          timezone: config.consoleTimezone,
          print: (line) => process.stdout.write(`${line}\n`),
        });
      }),
    );
}

interface Auth0Options {
  data: string[];
  port: number;
  host: string;
  clientId?: string;
  clientSecret?: string;
  retentionDays?: number;
  rate: number | "off";
  tokenLifetime: number;
  days: number;
  perDay: number;
  seed: number;
  timezone: string;
  json?: boolean;
}

function rate(value: string): number | "off" {
  return value.trim().toLowerCase() === "off" ? "off" : integer("--rate", 1)(value);
}

/** `kansa emulate auth0`: the emulated Auth0 tenant (token endpoint, /api/v2/logs). */
function registerEmulateAuth0(emulate: Command, run: Run): void {
  emulate
    .command("auth0")
    .description("Serve an emulated Auth0 tenant (POST /oauth/token, GET /api/v2/logs by checkpoint and search, rate limit, retention) until stopped.")
    .addOption(new Option("--data <path...>", "Auth0 log files or folders, as `kansa import` reads them").default([], "generated events"))
    .option("--port <n>", "port to listen on (0: any free port)", integer("--port", 0), 0)
    .option("--host <address>", "interface to listen on", "127.0.0.1")
    .option("--client-id <id>", "client id the tenant accepts (default: AUTH0_CLIENT_ID, else kansa-demo)")
    .option("--client-secret <secret>", "client secret the tenant accepts (default: AUTH0_CLIENT_SECRET, else a generated one that is printed)")
    .option("--retention-days <n>", "the plan's log retention in days (default: AUTH0_RETENTION_DAYS)", integer("--retention-days", 1))
    .option("--rate <n|off>", "Management API requests allowed per second (the free plan: 2), or off", rate, 2)
    .option("--token-lifetime <seconds>", "access token lifetime", integer("--token-lifetime", 1), 86_400)
    .option("--days <n>", "generated data: days up to today", integer("--days", 1), 30)
    .option("--per-day <n>", "generated data: events per day on average", integer("--per-day", 1), 40)
    .option("--seed <n>", "generated data: seed of the generator", integer("--seed", 0), 1)
    .option("--timezone <zone>", "generated data: the organisation's time zone", "Asia/Tokyo")
    .option("--json", "print the connection details as one JSON line")
    .action((options: Auth0Options) =>
      run(async () => {
        const { config } = createContext();
        const { serveAuth0 } = await import("../tools/auth0-emulator/serve.ts");
        return serveAuth0({
          data: options.data,
          port: options.port,
          host: options.host,
          clientId: options.clientId ?? config.auth0ClientId,
          clientSecret: options.clientSecret ?? config.auth0ClientSecret,
          retentionDays: options.retentionDays ?? config.auth0RetentionDays,
          rate: options.rate,
          tokenLifetimeSeconds: options.tokenLifetime,
          days: options.days,
          perDay: options.perDay,
          seed: options.seed,
          timezone: options.timezone,
          json: options.json ?? false,
          print: (line) => process.stdout.write(`${line}\n`),
        });
      }),
    );
}

/**
 * `kansa emulate console|…`: local stand-ins for the services kansa collects from. The emulators are
 * tools (src/tools/), not part of the pipeline: they are imported only when an emulate command runs,
 * so `kansa run`, the worker and the daily job never load them.
 */
export function registerEmulate(program: Command, run: Run): void {
  const emulate = program.command("emulate").description("Run an emulated service (for the demo, the tests, and trying kansa without credentials).");
  registerEmulateConsole(emulate, run);
  registerEmulateAuth0(emulate, run);
}
