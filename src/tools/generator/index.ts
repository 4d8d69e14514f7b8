/**
 * The sample-data generator: a deterministic (seeded), realistic organisation and its audit
 * logs, for the demo, the emulated console and Auth0 API, every helper's tests and the detection
 * evaluation. Same seed and options → byte-identical output; Math.random is never used.
 *
 * Typical use:
 * ```ts
 * const data = generateDataset({ seed: 7, from: "2026-09-01", to: "2026-10-31", anomalies: true });
 * await writeConsoleCsv(data.consoleRows, "out/console.csv", { lang: "ja", encoding: "sjis" });
 * await writeAuth0StreamFiles(data.auth0Events, "out/auth0");
 * // data.labels: the injected anomalies and routine events, each with kind, key and description.
 * ```
 *
 * Defaults: 80 people, zone Asia/Tokyo, console host example.cybozu.com, Auth0 tenant
 * example-corp (example-corp.jp.auth0.com); 1,500 console rows and 40 Auth0 events per day per
 * 80 people (exact totals: round(perDay × days) or `total`); console rows newest first with
 * Japanese-UI Level/Service values (the writers translate for `lang: "en"`); Auth0 events oldest
 * first with 56-digit, strictly increasing log ids. For large volumes use the stream* functions
 * or writeSample, which generate and write day by day.
 */

// Seeded random numbers and calendar/zone arithmetic.
export { Random, apportion } from "./random.ts";
export { calendarDays, formatLocalDateTime, localToUtc, zoneOffsetMinutes, type CalendarDay } from "./time.ts";
// The organisation: people, hours, addresses, browsers, apps, admins, exporters, integration.
export {
  buildOrganisation,
  appById,
  type Organisation,
  type OrganisationOptions,
  type Person,
  type PersonRole,
  type WorkPattern,
  type Office,
  type Integration,
  type KintoneApp,
  type Auth0Client,
  type Auth0Connection,
  type BrowserProfile,
} from "./organisation.ts";
// The console's columns and vocabulary.
export {
  CONSOLE_COLUMNS,
  CONSOLE_HEADER_JA,
  NEVER_DONE,
  localizeConsoleCells,
  type ConsoleCells,
  type ConsoleColumn,
  type ConsoleLang,
  type ActionSpec,
} from "./console-vocabulary.ts";
// Generating console rows and Auth0 events.
export { generateConsoleRows, streamConsoleRows, actionHabit, type GeneratedConsoleRow, type ConsoleRowOptions } from "./console-rows.ts";
export { generateAuth0Events, streamAuth0Events, mergeAuth0Events, USERS_EXPORT_PATH, M2M_SCOPE, type Auth0LogEvent, type Auth0EventOptions } from "./auth0-events.ts";
// Writers: console CSV (ja/en, UTF-8, BOM, Shift-JIS), Auth0 log-stream files, NDJSON, JSON arrays.
export {
  writeConsoleCsv,
  ConsoleCsvFileWriter,
  encodeConsoleCsv,
  consoleCsvChunks,
  consoleCsvHeader,
  consoleCsvLine,
  type ConsoleCsvOptions,
  type ConsoleCsvEncoding,
  type ConsoleRowLike,
} from "./console-csv.ts";
export {
  writeAuth0StreamFiles,
  writeAuth0Ndjson,
  writeAuth0JsonArray,
  toEnvelopes,
  toStreamFiles,
  streamEnvelopes,
  streamFiles,
  type EventBridgeEnvelope,
  type StreamFile,
  type StreamFileOptions,
} from "./auth0-files.ts";
// Labelled anomalies, routine events and hostile strings.
export {
  injectAnomalies,
  labelKeyForConsole,
  labelKeyForAuth0,
  ANOMALY_KINDS,
  ROUTINE_KINDS,
  type AnomalyKind,
  type RoutineKind,
  type AnomalyLabel,
  type AnomalyOptions,
} from "./anomalies.ts";
export { injectHostile, HOSTILE_APP_NAME, type HostileCase } from "./hostile.ts";
// Everything at once, and whole sample folders.
export { generateDataset, defaultRange, type Dataset, type DatasetOptions } from "./dataset.ts";
export { writeSample, type SampleOptions, type SampleResult } from "./sample.ts";
