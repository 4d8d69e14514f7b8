/**
 * Auth0's classification rules: which log events are critical (a type in AUTH0_CRITICAL_TYPES,
 * or a Management API write under AUTH0_CRITICAL_SAPI_PATHS), exports (a users-export job
 * created), logins and failed logins (by type). Read from the record as received, so the report
 * applies the current configuration to events already stored.
 */
import type { ClassifiableEvent, EventFlags } from "../../core/classification.ts";
import { isPlainObject, textOf } from "../../normalize/json.ts";

/** The settings the rules read. */
export interface Auth0Rules {
  /** Log types that are critical. */
  auth0CriticalTypes: readonly string[];
  /** Management API path prefixes whose sapi writes are critical. */
  auth0CriticalSapiPaths: readonly string[];
}

/** Successful logins. */
export const AUTH0_LOGIN_TYPES: ReadonlySet<string> = new Set(["s", "ssa", "scoa"]);
/**
 * Failed logins: wrong password or user (`f`, `fp`, `fu`), and a failed cross-origin login
 * (`fcoa`, the embedded-login form of `f`). Silent-auth and token-exchange failures are not
 * a person failing to log in, so they are not counted here.
 */
export const AUTH0_FAILED_LOGIN_TYPES: ReadonlySet<string> = new Set(["f", "fp", "fu", "fcoa"]);

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const USERS_EXPORT_PATH = "/api/v2/jobs/users-exports";

/** The bare event of an EventBridge envelope (`detail.data`), or the record itself. */
export function unwrapAuth0Envelope(record: Record<string, unknown>): Record<string, unknown> {
  const detail = record.detail;
  if (isPlainObject(detail) && isPlainObject(detail.data) && ("detail-type" in record || "source" in record || "version" in record)) {
    return detail.data;
  }
  return record;
}

/** The Management API request of a sapi event (method upper-cased, path without its query), or null. */
export function sapiRequest(event: Record<string, unknown>): { method: string; path: string } | null {
  const details = event.details;
  if (!isPlainObject(details) || !isPlainObject(details.request)) return null;
  const method = (textOf(details.request.method) ?? "").toUpperCase();
  const path = (textOf(details.request.path) ?? "").split("?")[0] ?? "";
  return { method, path };
}

/** The flags of an Auth0 event (`action` is its type, `raw` the record, bare or in its envelope). */
export function classifyAuth0Event(event: ClassifiableEvent, rules: Auth0Rules): EventFlags {
  const type = event.action;
  const request = type === "sapi" ? sapiRequest(unwrapAuth0Envelope(event.raw)) : null;
  const criticalWrite = request !== null && WRITE_METHODS.has(request.method) && rules.auth0CriticalSapiPaths.some((prefix) => request.path.startsWith(prefix));
  return {
    isExport: request !== null && request.method === "POST" && request.path.startsWith(USERS_EXPORT_PATH),
    isCritical: rules.auth0CriticalTypes.includes(type) || criticalWrite,
    isLogin: AUTH0_LOGIN_TYPES.has(type),
    isFailedLogin: AUTH0_FAILED_LOGIN_TYPES.has(type),
  };
}
