/**
 * Auth0 log event → AuditEvent (DESIGN.md, "Sources/auth0-api" and "Normalize"). Pure: no I/O,
 * never throws; schema drift (unknown fields, a field with two types, `client_id: null`,
 * `date` as an object or a number) is absorbed, and the record is kept whole in `raw`.
 */
import type { JsonObject, NormalizeResult } from "../../core/types.ts";
import { stableHash } from "../../normalize/hash.ts";
import { parseIp } from "../../core/ip-address.ts";
import { isPlainObject, nonEmptyText, textOf } from "../../normalize/json.ts";
import { inspectJson, MAX_EXTERNAL_ID_BYTES, MAX_JSON_DEPTH, MAX_TENANT_BYTES, REPAIRED_KEY, REPAIRED_NOTE, toWellFormedText, utf8Bytes, wellFormedJson } from "../../normalize/json-safety.ts";
import type { Config } from "../../core/config.ts";
import { parseTimestamp } from "../../normalize/timestamps.ts";
import { classifyAuth0Event } from "./classification.ts";
import { unwrapAuth0Envelope } from "./envelope.ts";
import { auth0LogType } from "./log-types.ts";

/** `user_agent` as text: a string as given; an object (parsed form) as "name version / os". */
export function userAgentText(value: unknown): string {
  const text = textOf(value);
  if (text !== null) return text;
  if (!isPlainObject(value)) return "";
  const name = [textOf(value.name) ?? textOf(value.family) ?? textOf(value.browser), textOf(value.version)].filter(Boolean).join(" ");
  const os = isPlainObject(value.os)
    ? [textOf(value.os.name) ?? textOf(value.os.family), textOf(value.os.version)].filter(Boolean).join(" ")
    : textOf(value.os);
  const joined = [name, os].filter((s) => s && s.trim() !== "").join(" / ");
  return joined || JSON.stringify(value);
}

function idOf(event: Record<string, unknown>, record: Record<string, unknown>): string {
  const logId = nonEmptyText(event.log_id) ?? (isPlainObject(record.detail) ? nonEmptyText(record.detail.log_id) : null) ?? (record !== event ? nonEmptyText(record.log_id) : null);
  if (logId) return logId;
  const mongoId = nonEmptyText(event._id) ?? (isPlainObject(event._id) ? nonEmptyText(event._id.$oid) : null);
  if (mongoId) return mongoId;
  return `sha256:${stableHash(event)}`;
}

/**
 * The result of a log type: its outcome in the table (./log-types.ts; null when neutral). A code the
 * table does not know is read by Auth0's naming habit: `f...` failed, `s...` succeeded, else null.
 */
export function resultOf(type: string): "success" | "failure" | null {
  const known = auth0LogType(type);
  if (known !== null) return known.outcome === "neutral" ? null : known.outcome;
  return type.startsWith("f") ? "failure" : type.startsWith("s") ? "success" : null;
}

/**
 * Normalise one Auth0 log event (bare, or wrapped in an EventBridge or custom-webhook envelope,
 * ./envelope.ts). `locator` (record or line number) and `origin` (file or URL) say where it was,
 * for a rejection. account = user_name, else user_id, else ""; action = type, stored as it is
 * even when the log-type table does not know it; result = resultOf(type); appId/appName =
 * client_id/client_name (null when absent or null); externalId = log_id (the event's, else its
 * envelope's), else _id, else a hash of the event; occurredAt = `date` (UTC when it has
 * no zone). The flags are Auth0's classification (./classification.ts) under `options`.
 * Bounds (src/normalize/json-safety.ts): a record nested deeper than MAX_JSON_DEPTH, an id longer
 * than MAX_EXTERNAL_ID_BYTES or a tenant longer than MAX_TENANT_BYTES is a rejection naming the
 * bound; lone UTF-16 surrogates become U+FFFD everywhere, and `raw` then carries
 * `"kansa:repaired": "lone UTF-16 surrogates replaced by U+FFFD"` so the change is visible.
 */
export function normalizeAuth0Event(record: unknown, tenant: string, locator: string, options: Config, origin = ""): NormalizeResult {
  const reject = (reason: string): NormalizeResult => ({ ok: false, rejection: { origin, locator, reason } });
  if (!isPlainObject(record)) {
    return reject(`not a JSON object but ${record === null ? "null" : Array.isArray(record) ? "an array" : typeof record}`);
  }
  // Bounds and repairs before anything walks the record (see json-safety.ts).
  const inspection = inspectJson(record);
  if (inspection.tooDeep) return reject(`nested deeper than ${MAX_JSON_DEPTH} levels (the bound for one record)`);
  if (inspection.illFormed) record = { ...(wellFormedJson(record) as Record<string, unknown>), [REPAIRED_KEY]: REPAIRED_NOTE };
  tenant = toWellFormedText(tenant);
  if (utf8Bytes(tenant) > MAX_TENANT_BYTES) {
    return reject(`the tenant (hostname) is ${utf8Bytes(tenant)} bytes long; at most ${MAX_TENANT_BYTES} are accepted`);
  }
  const event = unwrapAuth0Envelope(record as Record<string, unknown>);
  const occurredAt = parseTimestamp(event.date, "UTC");
  if (!occurredAt) {
    return reject(event.date === undefined ? "no `date` field" : `\`date\` ${JSON.stringify(event.date)?.slice(0, 80)} is not a time`);
  }
  const type = textOf(event.type) ?? "";
  const ip = textOf(event.ip) ?? "";
  const result = resultOf(type);
  // Records come from JSON.parse (files, API responses): already JSON data, kept as they are (but for the repair above).
  const raw = record as JsonObject;
  const externalId = idOf(event, record as Record<string, unknown>);
  if (utf8Bytes(externalId) > MAX_EXTERNAL_ID_BYTES) {
    return reject(`the id (log_id) is ${utf8Bytes(externalId)} bytes long; at most ${MAX_EXTERNAL_ID_BYTES} are accepted`);
  }
  return {
    ok: true,
    event: {
      source: "auth0",
      tenant,
      externalId,
      occurredAt,
      account: nonEmptyText(event.user_name) ?? nonEmptyText(event.user_id) ?? "",
      action: type,
      ip,
      ipParsed: parseIp(ip),
      appId: nonEmptyText(event.client_id),
      appName: nonEmptyText(event.client_name),
      userAgent: userAgentText(event.user_agent),
      level: null,
      result,
      ...classifyAuth0Event({ action: type, level: null, result, raw }, options),
      raw,
    },
  };
}
