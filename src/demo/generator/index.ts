/**
 * The sample-data generator: a deterministic (seeded), realistic organisation and its audit
 * logs, for the demo, the emulated console and Auth0 API, every helper's tests and the detection
 * evaluation. Same seed and options → byte-identical output.
 *
 * Typical use:
 * ```ts
 * const data = generateDataset({ seed: 7, from: "2026-09-01", to: "2026-10-31" });
 * await writeConsoleCsv(data.consoleRows, "out/console.csv", { lang: "ja", encoding: "sjis" });
 * await writeAuth0StreamFiles(data.auth0Events, "out/auth0");
 * ```
 */

export { Random, apportion } from "./random.ts";
export { calendarDays, formatLocalDateTime, localToUtc, zoneOffsetMinutes, type CalendarDay } from "./time.ts";
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
export { generateConsoleRows, streamConsoleRows, actionHabit, type GeneratedConsoleRow, type ConsoleRowOptions } from "./console-rows.ts";
export { generateAuth0Events, streamAuth0Events, mergeAuth0Events, USERS_EXPORT_PATH, M2M_SCOPE, type Auth0LogEvent, type Auth0EventOptions } from "./auth0-events.ts";
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
export { generateDataset, defaultRange, type Dataset, type DatasetOptions } from "./dataset.ts";
export { writeSample, type SampleOptions, type SampleResult } from "./sample.ts";
