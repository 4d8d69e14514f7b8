/**
 * The Auth0 files `kansa import` reads: log-stream files (EventBridge envelopes concatenated with
 * no delimiter, as Firehose writes them under YYYY/MM/DD/HH/; the event is `detail.data`), what a
 * custom-webhook log stream posts (`{ "log_id", "data" }` envelopes as JSON lines, a JSON array or
 * objects; the event is `data`), JSON arrays and NDJSON of bare Auth0 events (./envelope.ts).
 * Each record is located by record and line number.
 *
 * All a file's events belong to one tenant, named by the settings: --tenant, else AUTH0_TENANT,
 * else the host of AUTH0_DOMAIN, else "auth0". Never an event's own `hostname`: that is content
 * of the file, and one hostile or merely varied file would otherwise create a tenant per distinct
 * value (each one a baseline, an alarm and rows in every mail). The hostname stays in `raw`.
 */
import type { Rejection } from "../../core/types.ts";
import type { FileBatch, FileFormat, FileReadContext, RawRecord } from "../contract.ts";
import { firstContentByte } from "../files/detect-format.ts";
import { tenantNamedBy } from "../files/tenant.ts";
import { splitJsonValues } from "../files/json-values.ts";
import { eventBridgeEvent, webhookEvent } from "./envelope.ts";

/** The tenant of imported Auth0 events when nothing names one. */
export const DEFAULT_AUTH0_TENANT = "auth0";

/** The tenant settings Auth0 imports read. */
export interface Auth0TenantSettings {
  /** `--tenant` on the command line: wins. */
  override?: string | undefined;
  auth0Tenant?: string | undefined;
  auth0Domain?: string | undefined;
}

/** The tenant of imported Auth0 events: the setting that names one, else "auth0" (see the module comment). */
export function auth0Tenant(settings: Auth0TenantSettings): string {
  return auth0TenantSetting(settings) ?? DEFAULT_AUTH0_TENANT;
}

/** The tenant a setting names for Auth0 imports (--tenant, AUTH0_TENANT, AUTH0_DOMAIN); null when none does. */
export function auth0TenantSetting(settings: Auth0TenantSettings): string | null {
  return tenantNamedBy(settings.override, settings.auth0Tenant, settings.auth0Domain);
}

/** An Auth0 event's `hostname` (trimmed, lower case), or null; only counted, never a tenant. */
export function auth0EventHostname(event: unknown): string | null {
  if (typeof event === "object" && event !== null && !Array.isArray(event)) {
    const hostname = (event as Record<string, unknown>).hostname;
    if (typeof hostname === "string" && hostname.trim() !== "") return hostname.trim().toLowerCase();
  }
  return null;
}

/** Distinct hostnames counted per file, for the note on them (a bound: the count is "at least" past it). */
const MAX_COUNTED_HOSTNAMES = 1000;

/** Whether the sample starts a JSON value (an object or an array), after a BOM and white space. */
function startsJson(sample: Buffer): boolean {
  const i = firstContentByte(sample);
  return sample[i] === 0x7b || sample[i] === 0x5b;
}

/**
 * Read one JSON file of Auth0 events. When no setting names the tenant and the events carry
 * several hostnames, the file's detail says how many, once, and how to split them.
 */
async function* readAuth0Json(chunks: AsyncIterable<Buffer>, context: FileReadContext): AsyncGenerator<FileBatch, string> {
  const { file, config } = context;
  const isArray = /^(\uFEFF)?\s*\[/.test(context.sample.subarray(0, 256).toString("utf8"));
  const batchSize = Math.max(1, context.batchSize);
  const settings = { override: context.tenant, auth0Tenant: config.auth0Tenant, auth0Domain: config.auth0Domain };
  const tenant = auth0Tenant(settings);
  const named = auth0TenantSetting(settings) !== null;
  const hostnames = new Set<string>();
  let records: RawRecord[] = [];
  let rejections: Rejection[] = [];
  let envelopes = 0;
  let webhooks = 0;
  let values = 0;

  const flush = function* (): Generator<FileBatch> {
    yield { batch: { source: "auth0", records, origin: file, tenant }, rejections, read: records.length + rejections.length };
    records = [];
    rejections = [];
  };

  for await (const item of splitJsonValues(chunks)) {
    const locator = `record ${item.record} (line ${item.line})`;
    if (!item.ok) {
      rejections.push({ origin: file, locator, reason: item.reason });
      // A file of broken records alone: hand them on in batches, never piled up.
      if (rejections.length >= batchSize) yield* flush();
      continue;
    }
    values += 1;
    let record = item.value;
    const inEventBridge = eventBridgeEvent(record);
    const inWebhook = inEventBridge === null ? webhookEvent(record) : null;
    if (inEventBridge !== null) {
      envelopes += 1;
      record = inEventBridge;
    } else if (inWebhook !== null) {
      webhooks += 1;
      record = inWebhook;
    }
    if (!named && hostnames.size < MAX_COUNTED_HOSTNAMES) {
      const hostname = auth0EventHostname(record);
      if (hostname !== null) hostnames.add(hostname.slice(0, 255));
    }
    records.push({ record, locator });
    if (records.length >= batchSize) yield* flush();
  }
  if (records.length > 0 || rejections.length > 0) yield* flush();
  const described = envelopes > 0
    ? "Auth0 log stream (EventBridge envelopes)"
    : webhooks > 0
      ? `Auth0 custom-webhook log stream (${isArray ? "JSON array" : "JSON lines"})`
      : isArray ? "JSON array of Auth0 events" : "NDJSON of Auth0 events";
  const many = hostnames.size >= MAX_COUNTED_HOSTNAMES ? `${MAX_COUNTED_HOSTNAMES} or more` : String(hostnames.size);
  const note = hostnames.size > 1
    ? `; ${many} distinct hostnames, all stored under tenant "${tenant}": import each tenant's files with --tenant NAME to keep them apart`
    : "";
  return `${described}, ${values} value${values === 1 ? "" : "s"}${note}`;
}

/** Auth0 log-stream files, JSON arrays and NDJSON: any JSON is possibly Auth0's (the fallback for JSON). */
export const auth0Files: FileFormat = {
  detect: (sample) => (startsJson(sample) ? "possible" : null),
  expected: "a JSON array, NDJSON, or Auth0 log-stream JSON",
  description: "Auth0 log-stream files (EventBridge envelopes as Firehose writes them, custom-webhook payloads), JSON arrays and NDJSON of Auth0 events",
  tenantHelp: 'AUTH0_TENANT, else the host of AUTH0_DOMAIN, else "auth0" for Auth0, never an event\'s own hostname',
  read: readAuth0Json,
};
