/**
 * The settings machinery and kansa's generic settings. A setting is declared once: its
 * environment variable, default, description, group and parser. Each source declares its own
 * settings in its folder (src/sources/<name>/settings.ts) with the same kinds, and adds their
 * typed values to `Config` (interface SourceSettings below); src/sources/config.ts gathers core's
 * and every registered source's, and `loadSettings` reads them (nothing else in kansa reads
 * `process.env`), validates them into one typed object, and registers secret values for
 * redaction. A bad value is one sentence that names the variable and what is allowed. The
 * README's configuration table and app.json are generated from the same declarations
 * (`npm run docs:config`, `npm run docs:app-json`) and tests keep them in step.
 */
import { IANAZone } from "luxon";
import { ConfigError } from "./errors.ts";
import { registerSecret } from "./secrets.ts";
import { parseClockSetting } from "./clock.ts";
import { parseAllowList, type AllowRule } from "./allow-list.ts";

export type Env = Record<string, string | undefined>;

export interface Setting<T> {
  env: string;
  description: string;
  /** Shown in docs; `undefined` means "unset". */
  defaultText: string;
  secret?: boolean;
  group: string;
  parse(value: string | undefined, env: Env): T;
}

function fail(env: string, message: string): never {
  throw new ConfigError(`${env} ${message}`, { details: { variable: env } });
}

export const str = (env: string, fallback: string, description: string, group: string, secret = false): Setting<string> => ({
  env, description, group, secret, defaultText: fallback,
  parse: (v) => (v === undefined || v.trim() === "" ? fallback : v.trim()),
});

export const optional = (env: string, description: string, group: string, secret = false): Setting<string | undefined> => ({
  env, description, group, secret, defaultText: "",
  parse: (v) => (v === undefined || v.trim() === "" ? undefined : secret ? v : v.trim()),
});

export const num = (env: string, fallback: number, description: string, group: string, opts: { min?: number; max?: number; integer?: boolean } = {}): Setting<number> => ({
  env, description, group, defaultText: String(fallback),
  parse: (v) => {
    if (v === undefined || v.trim() === "") return fallback;
    const n = Number(v);
    const kind = opts.integer ? "an integer" : "a number";
    if (!Number.isFinite(n) || (opts.integer && !Number.isInteger(n))) fail(env, `must be ${kind}, got "${v}".`);
    if (opts.min !== undefined && n < opts.min) fail(env, `must be ${kind} ≥ ${opts.min}, got ${v}.`);
    if (opts.max !== undefined && n > opts.max) fail(env, `must be ${kind} ≤ ${opts.max}, got ${v}.`);
    return n;
  },
});

export const optionalNum = (env: string, description: string, group: string, opts: { min?: number } = {}): Setting<number | undefined> => ({
  env, description, group, defaultText: "",
  parse: (v) => {
    if (v === undefined || v.trim() === "") return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || (opts.min !== undefined && n < opts.min)) fail(env, `must be a number${opts.min !== undefined ? ` ≥ ${opts.min}` : ""}, got "${v}".`);
    return n;
  },
});

export const zone = (env: string, fallbackEnv: string | null, fallback: string, description: string, group: string): Setting<string> => ({
  env, description, group, defaultText: fallbackEnv ? `value of ${fallbackEnv}` : fallback,
  parse: (v, all) => {
    const raw = v?.trim() || (fallbackEnv ? all[fallbackEnv]?.trim() : undefined) || fallback;
    if (!IANAZone.isValidZone(raw)) fail(env, `must be an IANA time zone such as Asia/Tokyo or UTC, got "${raw}".`);
    return raw;
  },
});

export const list = (env: string, fallback: string[], description: string, group: string): Setting<string[]> => ({
  env, description, group, defaultText: fallback.join(","),
  parse: (v) => (v === undefined || v.trim() === "" ? fallback : v.split(",").map((s) => s.trim()).filter((s) => s !== "")),
});

export const choice = <T extends string>(env: string, choices: readonly T[], fallback: T, description: string, group: string): Setting<T> => ({
  env, description, group, defaultText: fallback,
  parse: (v) => {
    if (v === undefined || v.trim() === "") return fallback;
    const value = v.trim() as T;
    if (!choices.includes(value)) fail(env, `must be one of ${choices.join(", ")}, got "${v}".`);
    return value;
  },
});

export interface TimeWindow {
  /** Minutes after local midnight, start inclusive. */
  startMinute: number;
  /** Minutes after local midnight, end exclusive; may be below start for a window across midnight. */
  endMinute: number;
  text: string;
}

export const window = (env: string, fallback: string, description: string, group: string): Setting<TimeWindow> => ({
  env, description, group, defaultText: fallback,
  parse: (v) => {
    const text = v === undefined || v.trim() === "" ? fallback : v.trim();
    const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(text);
    const minutes = (h: string, mm: string) => Number(h) * 60 + Number(mm);
    if (!m || Number(m[1]) > 24 || Number(m[3]) > 24 || Number(m[2]) > 59 || Number(m[4]) > 59) {
      fail(env, `must be a window HH:MM-HH:MM such as 02:00-05:00, got "${text}".`);
    }
    const startMinute = minutes(m[1]!, m[2]!);
    const endMinute = minutes(m[3]!, m[4]!);
    if (startMinute === endMinute) fail(env, `must not start and end at the same time, got "${text}".`);
    return { startMinute, endMinute, text };
  },
});

export const regex = (env: string, fallback: string, description: string, group: string): Setting<RegExp> => ({
  env, description, group, defaultText: fallback,
  parse: (v) => {
    const text = v === undefined || v.trim() === "" ? fallback : v.trim();
    try {
      return new RegExp(text, "iu");
    } catch (error) {
      return fail(env, `must be a regular expression, got "${text}" (${(error as Error).message}).`);
    }
  },
});

/** kansa's generic settings (a source's own are in its folder). */
export const coreSettings = {
  // Database and files
  databaseUrl: optional("DATABASE_URL", "PostgreSQL connection string (postgres://...). Unset: the embedded PGlite database under KANSA_DATA_DIR.", "Database", true),
  dataDir: str("KANSA_DATA_DIR", "./.kansa", "Folder of the embedded database and of run artifacts (screenshots, saved pages).", "Database"),
  retentionDays: num("RETENTION_DAYS", 62, "Events older than this many days are pruned (baselines and unsent reports never are). 62 keeps the current and previous month whole.", "Database", { min: 1, integer: true }),

  // Organisations
  organisationsConfig: optional("KANSA_CONFIG", "Several organisations (README, \"Several organisations\"): a JSON document, or the path of a file holding one, {\"organisations\": [{\"name\", \"timezone\", \"lang\", \"sendTo\", \"detection\", \"sources\": [{\"type\": a source's name, \"tenant\", its own fields, a secret as \"<field>Env\": the variable holding it}]}]}; secrets are named by environment variable, never written in it. Unset: the variables below describe one organisation.", "Organisations"),

  // Time
  reportTimezone: zone("REPORT_TIMEZONE", null, "UTC", "IANA time zone of the report: days, hours, late-night window, baselines' months.", "Time"),

  // Detection
  featureSet: str("FEATURE_SET", "profile", "Feature set used for outliers: profile (per-account habits, the default: chosen by npm run eval, see the README) or classic (the original vector).", "Detection"),
  anomalyLength: optionalNum("ANOMALY_LENGTH", "Outlier threshold on the plain Mahalanobis distance. Unset: 10 for classic; the TARGET_FPR quantile for profile.", "Detection", { min: 0 }),
  targetFpr: num("TARGET_FPR", 0.001, "Target false-positive rate that sets the profile feature set's threshold from the baseline month's own distances.", "Detection", { min: 0, max: 1 }),
  minTailEvents: num("MIN_TAIL_EVENTS", 10, "The profile threshold leaves at least this many of the baseline month's events above it (in a small month the TARGET_FPR quantile would be its single strangest event).", "Detection", { min: 0, integer: true }),
  minBaselineEvents: num("MIN_BASELINE_EVENTS", 100, "Fewest events in the previous month for a baseline; below it the report says there is none.", "Detection", { min: 2, integer: true }),
  minProfileDays: num("MIN_PROFILE_DAYS", 5, "An account needs activity on this many days (or MIN_PROFILE_EVENTS events) of the baseline month for its own profile.", "Detection", { min: 1, integer: true }),
  minProfileEvents: num("MIN_PROFILE_EVENTS", 10, "See MIN_PROFILE_DAYS.", "Detection", { min: 1, integer: true }),
  lateNightWindow: window("LATE_NIGHT_WINDOW", "02:00-05:00", "Window of late-night logins, in the report time zone.", "Detection"),

  // Report and mail
  reportLang: choice("REPORT_LANG", ["en", "ja"] as const, "en", "Language of the report: en or ja.", "Report"),
  reportSectionLimit: num("REPORT_SECTION_LIMIT", 50, "Most entries listed per section; the rest are counted.", "Report", { min: 1, integer: true }),
  allowList: {
    env: "KANSA_ALLOW_LIST", group: "Report", defaultText: "",
    description: "Expected activity: the path of a JSON file, or the JSON itself, an array of rules such as [{\"account\": \"backup\", \"ip\": \"203.0.113.0/24\", \"action\": \"Record export\"}] (fields account, ip (address or CIDR), action, app (id or name), source, tenant, note). A finding whose every event matches one rule is marked expected: counted, not listed.",
    parse: (v: string | undefined) => parseAllowList(v),
  } satisfies Setting<AllowRule[]>,
  smtpUrl: optional("SMTP_URL", "SMTP server, e.g. smtps://user:pass@smtp.example.com:465. Else the Mailgun or SendGrid add-on variables are used.", "Report", true),
  smtpAllowPlaintextAuth: choice("SMTP_ALLOW_PLAINTEXT_AUTH", ["0", "1"] as const, "0", "1 lets SMTP credentials go to a server that offers no TLS (a local relay you trust); by default they go only over smtps:// or STARTTLS, and a server without either fails the send.", "Report"),
  mailgunSmtpServer: optional("MAILGUN_SMTP_SERVER", "Set by Heroku's Mailgun add-on.", "Report"),
  mailgunSmtpPort: optional("MAILGUN_SMTP_PORT", "Set by Heroku's Mailgun add-on.", "Report"),
  mailgunSmtpLogin: optional("MAILGUN_SMTP_LOGIN", "Set by Heroku's Mailgun add-on.", "Report"),
  mailgunSmtpPassword: optional("MAILGUN_SMTP_PASSWORD", "Set by Heroku's Mailgun add-on.", "Report", true),
  sendgridUsername: optional("SENDGRID_USERNAME", "Set by Heroku's SendGrid add-on.", "Report"),
  sendgridPassword: optional("SENDGRID_PASSWORD", "Set by Heroku's SendGrid add-on.", "Report", true),
  mailFrom: str("MAIL_FROM", "kansa <kansa@localhost>", "Sender of the report.", "Report"),
  sendToList: list("SEND_TO_LIST", [], "Recipients of the report (comma-separated addresses).", "Report"),

  // Schedule
  cronSchedule: str("CRON_SCHEDULE", "0 7 * * *", "When `kansa worker` runs the daily job (cron syntax, in REPORT_TIMEZONE).", "Schedule"),
  clock: {
    env: "KANSA_NOW", group: "Schedule", defaultText: "",
    description: "Pretend the time is this instant (ISO 8601 with a zone, or a day YYYY-MM-DD at 00:00 UTC): for tests and replays. Unset: the system clock.",
    parse: (v: string | undefined) => parseClockSetting(v),
  } satisfies Setting<Date | null>,
  workerConcurrency: num("WORKER_CONCURRENCY", 1, "Jobs (collections or reports) one `kansa worker` process runs at once on PostgreSQL (its --concurrency). Memory is per job, and a console collection adds a browser: 1 on a 512 MB dyno (README, \"Several organisations\").", "Schedule", { min: 1, max: 32, integer: true }),
  jobExpireSeconds: num("JOB_EXPIRE_SECONDS", 1800, "A queued job (a collection, a report) still running after this many seconds is taken as lost, its worker dead, and is run again by another worker (at most twice).", "Schedule", { min: 5, max: 86400, integer: true }),
  logLevel: choice("LOG_LEVEL", ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const, "info", "Log level.", "Schedule"),
} satisfies Record<string, Setting<unknown>>;

/** Declared settings, by the key of their value in `Config`. */
export type SettingDeclarations = Record<string, Setting<unknown>>;

/** The typed values of declared settings. */
export type SettingValues<D extends SettingDeclarations> = { readonly [K in keyof D]: ReturnType<D[K]["parse"]> };

/**
 * The values of every registered source's settings: each source adds its own to this interface
 * from its settings file (`declare module ".../core/config.ts" { interface SourceSettings ... }`),
 * so `Config` is typed without core naming a source.
 */
export interface SourceSettings {}

export type CoreConfig = SettingValues<typeof coreSettings>;
export type Config = CoreConfig & SourceSettings;

/**
 * Parse and validate core's settings and `sourceSettings` (each registered source's
 * declarations) from `env`. Use `loadConfig` (src/sources/config.ts), which passes the
 * registered sources' declarations.
 */
export function loadSettings(env: Env, sourceSettings: readonly SettingDeclarations[]): Config {
  const out: Record<string, unknown> = {};
  for (const [key, setting] of declaredSettings(sourceSettings)) {
    const value = setting.parse(env[setting.env], env);
    if (setting.secret && typeof value === "string") registerSecret(value);
    out[key] = value;
  }
  const config = out as unknown as Config;
  if (config.databaseUrl) {
    try {
      const url = new URL(config.databaseUrl);
      if (!/^postgres(ql)?:$/.test(url.protocol)) fail("DATABASE_URL", `must be a postgres:// or postgresql:// URL, got a ${url.protocol} URL.`);
      registerSecret(decodeURIComponent(url.password));
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      fail("DATABASE_URL", "must be a postgres:// URL.");
    }
  }
  for (const setting of [coreSettings.smtpUrl]) {
    const value = env[setting.env];
    if (value) {
      try {
        registerSecret(decodeURIComponent(new URL(value).password));
      } catch {
        fail(setting.env, "must be a URL such as smtps://user:pass@smtp.example.com:465.");
      }
    }
  }
  return config;
}

/** Core's settings, then each source's in the order given; a key or variable declared twice is an error. */
function declaredSettings(sourceSettings: readonly SettingDeclarations[]): [string, Setting<unknown>][] {
  const entries: [string, Setting<unknown>][] = [];
  const keys = new Set<string>();
  const variables = new Set<string>();
  for (const declarations of [coreSettings as SettingDeclarations, ...sourceSettings]) {
    for (const [key, setting] of Object.entries(declarations)) {
      if (keys.has(key) || variables.has(setting.env)) throw new ConfigError(`The setting ${setting.env} (${key}) is declared twice.`);
      keys.add(key);
      variables.add(setting.env);
      entries.push([key, setting]);
    }
  }
  return entries;
}

/** One row of the configuration table (for the README, app.json and `kansa --help`). */
export interface SettingRow {
  env: string;
  defaultText: string;
  description: string;
  group: string;
  secret: boolean;
}

/** Rows of the configuration table: core's settings, then each source's in the order given. */
export function settingRows(sourceSettings: readonly SettingDeclarations[]): SettingRow[] {
  return declaredSettings(sourceSettings).map(([, s]) => ({
    env: s.env, defaultText: s.defaultText, description: s.description, group: s.group, secret: s.secret ?? false,
  }));
}
