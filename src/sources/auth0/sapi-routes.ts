/**
 * Management API writes (`sapi` events) matched against routes, one syntax for the severity
 * catalogue, AUTH0_SEVERITY's `sapi:` keys and AUTH0_CRITICAL_SAPI_PATHS: "[METHOD ]path[$]".
 * A route matches a write (POST, PUT, PATCH, DELETE; any of them without METHOD) whose path starts
 * with the route's segments (`*` is any one segment; `$` at the end: no further segment), with or
 * without the `/api` prefix (Auth0 logs `/api/v2/...` for most calls and `/v2/...` for some, such
 * as attack protection), in any letter case, without its query.
 */
import type { ClassifiableEvent } from "../../core/classification.ts";
import { isPlainObject, textOf } from "../../normalize/json.ts";
import { unwrapAuth0Envelope } from "./envelope.ts";

/** A route: the method (null: any write), the path's segments without `/api`, and whether it must end there. */
export interface SapiRoute {
  method: string | null;
  path: readonly string[];
  exact: boolean;
}

/** A Management API write: its method (upper case) and its path's segments without `/api`. */
export interface SapiWrite {
  method: string;
  segments: string[];
}

const WRITE_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The Management API request of a sapi event (method upper-cased, path without its query), or null. */
export function sapiRequest(event: Record<string, unknown>): { method: string; path: string } | null {
  const details = event.details;
  if (!isPlainObject(details) || !isPlainObject(details.request)) return null;
  const method = (textOf(details.request.method) ?? "").toUpperCase();
  const path = (textOf(details.request.path) ?? "").split("?")[0] ?? "";
  return { method, path };
}

/** A request path's segments, without its query, its `/api` prefix and empty segments. */
export function pathSegments(path: string): string[] {
  const segments = (path.split("?")[0] ?? "").split("/").filter((segment) => segment !== "");
  return segments[0]?.toLowerCase() === "api" && segments[1]?.toLowerCase() === "v2" ? segments.slice(1) : segments;
}

/** "[METHOD ]path[$]" → its route. */
export function parseSapiRoute(route: string): SapiRoute {
  const text = route.trim();
  const space = text.indexOf(" ");
  const method = space > 0 ? text.slice(0, space).toUpperCase() : null;
  let path = (space > 0 ? text.slice(space + 1) : text).trim();
  const exact = path.endsWith("$");
  if (exact) path = path.slice(0, -1);
  return { method, path: pathSegments(path), exact };
}

/** A route spelled one way: method upper-cased, no `/api` prefix ("PATCH /v2/clients", "/v2/users/*$"). */
export function sapiRouteKey(route: SapiRoute): string {
  return `${route.method ? `${route.method} ` : ""}/${route.path.join("/")}${route.exact ? "$" : ""}`;
}

/** The write a sapi event logs (a POST, PUT, PATCH or DELETE), or null (another type, a read, no request). */
export function sapiWrite(event: ClassifiableEvent): SapiWrite | null {
  if (event.action !== "sapi") return null;
  const request = sapiRequest(unwrapAuth0Envelope(event.raw));
  return request !== null && WRITE_METHODS.has(request.method) ? { method: request.method, segments: pathSegments(request.path) } : null;
}

/** Whether a route matches a write. */
export function routeMatches(route: SapiRoute, write: SapiWrite): boolean {
  if (route.method !== null && route.method !== write.method) return false;
  if (route.exact ? route.path.length !== write.segments.length : route.path.length > write.segments.length) return false;
  return route.path.every((segment, i) => segment === "*" || segment.toLowerCase() === write.segments[i]!.toLowerCase());
}
