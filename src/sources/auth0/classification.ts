/**
 * Auth0's classification rules, read from the log-type table (./log-types.ts) and the settings:
 * - critical: a type in AUTH0_CRITICAL_TYPES (default: the table's critical types), or a
 *   Management API write matching a route of AUTH0_CRITICAL_SAPI_PATHS (./sapi-routes.ts);
 * - export: a type the table marks as one, or a users-export job created (POST /api/v2/jobs/users-exports);
 * - login: a type in Auth0's "Login - Success" filter (s, scoa, sens), not silent authentication (ssa);
 * - failed login: a type in its "Login - Failure" filter (f, fc, fco, fcoa, fens, fp, fu).
 * Read from the record as received, so the report applies the current configuration to events
 * already stored. A code the table does not know is none of these unless a setting names it.
 */
import type { ClassifiableEvent, EventFlags } from "../../core/classification.ts";
import { auth0LogType, type Auth0LogType } from "./log-types.ts";
import { parseSapiRoute, routeMatches, sapiWrite, type SapiRoute } from "./sapi-routes.ts";

/** The settings the rules read. */
export interface Auth0Rules {
  /** Log types that are critical. */
  auth0CriticalTypes: readonly string[];
  /** Management API routes ("[METHOD ]path[$]") whose sapi writes are critical. */
  auth0CriticalSapiPaths: readonly string[];
}

const USERS_EXPORT: SapiRoute = parseSapiRoute("POST /v2/jobs/users-exports");

/** Whether a log type is a login (Auth0's "Login - Success" filter). */
export function isAuth0Login(type: Auth0LogType | null): boolean {
  return type?.category === "auth.login.success";
}

/** Whether a log type is a failed login (Auth0's "Login - Failure" filter). */
export function isAuth0FailedLogin(type: Auth0LogType | null): boolean {
  return type?.category === "auth.login.fail";
}

/** The flags of an Auth0 event (`action` is its type, `raw` the record, bare or in its envelope). */
export function classifyAuth0Event(event: ClassifiableEvent, rules: Auth0Rules): EventFlags {
  const type = auth0LogType(event.action);
  const write = sapiWrite(event);
  const criticalWrite = write !== null && rules.auth0CriticalSapiPaths.some((route) => routeMatches(parseSapiRoute(route), write));
  return {
    isExport: type?.export === true || (write !== null && routeMatches(USERS_EXPORT, write)),
    isCritical: rules.auth0CriticalTypes.includes(event.action) || criticalWrite,
    isLogin: isAuth0Login(type),
    isFailedLogin: isAuth0FailedLogin(type),
  };
}
