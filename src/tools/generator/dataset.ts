/**
 * One call for everything: the organisation, its console rows and Auth0 events for a range,
 * optionally with labelled anomalies and hostile strings. Volumes: `consolePerDay`/`auth0PerDay`
 * count the generated (ordinary) events exactly; injected anomalies and hostile cases come on top.
 */
import { injectAnomalies, type AnomalyLabel, type AnomalyOptions } from "./anomalies.ts";
import { generateAuth0Events, type Auth0LogEvent } from "./auth0-events.ts";
import { injectHostile, type HostileCase } from "./hostile.ts";
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
  /** Average console rows per day (default 1,500 for 80 people, in proportion for other sizes). */
  consolePerDay?: number;
  /** Exact console row total (overrides consolePerDay). */
  consoleTotal?: number;
  /** Average Auth0 events per day (default 40 for 80 people, in proportion for other sizes). */
  auth0PerDay?: number;
  /** Exact Auth0 event total (overrides auth0PerDay). */
  auth0Total?: number;
  /** Inject labelled anomalies and routine events (true: defaults; or options). Default false. */
  anomalies?: boolean | AnomalyOptions;
  /** Add a few hostile strings (HTML, quotes, newlines, masked/IPv6 addresses, empty user). Default false. */
  hostile?: boolean;
}

export interface Dataset {
  organisation: Organisation;
  from: string;
  to: string;
  /** Newest first, like the console. */
  consoleRows: GeneratedConsoleRow[];
  /** Oldest first (log_id order). */
  auth0Events: Auth0LogEvent[];
  /** Labels of injected anomalies and routine events (empty unless `anomalies`). */
  labels: AnomalyLabel[];
  /** The hostile cases added (empty unless `hostile`). */
  hostile: HostileCase[];
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
  let consoleRows = generateConsoleRows(organisation, { from, to, perDay: options.consolePerDay, total: options.consoleTotal });
  let auth0Events = generateAuth0Events(organisation, { from, to, perDay: options.auth0PerDay, total: options.auth0Total });
  let labels: AnomalyLabel[] = [];
  let hostile: HostileCase[] = [];
  if (options.anomalies) {
    const injected = injectAnomalies(organisation, consoleRows, auth0Events, { from, to }, options.anomalies === true ? {} : options.anomalies);
    ({ consoleRows, auth0Events, labels } = injected);
  }
  if (options.hostile) {
    const injected = injectHostile(organisation, consoleRows, auth0Events, { from, to });
    ({ consoleRows, auth0Events, hostile } = injected);
  }
  return { organisation, from, to, consoleRows, auth0Events, labels, hostile };
}
