/**
 * One call for everything: the organisation, its console rows and Auth0 events for a range,
 * optionally with labelled anomalies and hostile strings.
 */
import { generateAuth0Events, type Auth0LogEvent } from "./auth0-events.ts";
import { generateConsoleRows, type GeneratedConsoleRow } from "./console-rows.ts";
import { buildOrganisation, type Organisation, type OrganisationOptions } from "./organisation.ts";
import { formatDayKey, parseDay, DAY_MS } from "./time.ts";

export interface DatasetOptions extends OrganisationOptions {
  /** First day `YYYY-MM-DD` (default: first day of the month two months before `now`). */
  from?: string;
  /** Last day `YYYY-MM-DD` (default: last day of the month before `now`). */
  to?: string;
  /** Reference instant for the default range (default: the current time). */
  now?: Date;
  /** Average console rows per day (default 1,500). */
  consolePerDay?: number;
  /** Exact console row total (overrides consolePerDay). */
  consoleTotal?: number;
  /** Average Auth0 events per day (default 40). */
  auth0PerDay?: number;
  /** Exact Auth0 event total (overrides auth0PerDay). */
  auth0Total?: number;
}

export interface Dataset {
  organisation: Organisation;
  from: string;
  to: string;
  /** Newest first, like the console. */
  consoleRows: GeneratedConsoleRow[];
  /** Oldest first (log_id order). */
  auth0Events: Auth0LogEvent[];
}

/** The default range: the two whole calendar months before `now`'s month (UTC calendar). */
export function defaultRange(now: Date = new Date()): { from: string; to: string } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const from = formatDayKey(Date.UTC(y, m - 2, 1));
  const to = formatDayKey(Date.UTC(y, m, 1) - DAY_MS);
  return { from, to };
}

/** Generates the organisation and both logs for the range (deterministic for the options). */
export function generateDataset(options: DatasetOptions = {}): Dataset {
  const range = defaultRange(options.now);
  const from = options.from ?? range.from;
  const to = options.to ?? range.to;
  parseDay(from, "from");
  parseDay(to, "to");
  const organisation = buildOrganisation(options);
  const consoleRows = generateConsoleRows(organisation, { from, to, perDay: options.consolePerDay, total: options.consoleTotal });
  const auth0Events = generateAuth0Events(organisation, { from, to, perDay: options.auth0PerDay, total: options.auth0Total });
  return { organisation, from, to, consoleRows, auth0Events };
}
