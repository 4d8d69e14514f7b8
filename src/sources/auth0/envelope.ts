/**
 * The two envelopes Auth0's log streams wrap an event in, and the event inside:
 * - Amazon EventBridge: `{ "version", "detail-type", "source", ..., "detail": { "log_id", "data": {event} } }`
 *   (https://auth0.com/docs/customize/log-streams/amazon-eventbridge; seed 001's sample);
 * - a custom webhook: `{ "log_id": "...", "data": {event} }`, posted as JSON lines, a JSON array or
 *   one JSON object per request (https://auth0.com/docs/customize/log-streams/custom-log-streams,
 *   "Content Format").
 * A bare Auth0 event has `type` and `date` at its top level; a webhook envelope has neither.
 */
import { isPlainObject } from "../../normalize/json.ts";

/** The event of an EventBridge envelope (`detail.data`), or null when the value is not one. */
export function eventBridgeEvent(value: unknown): Record<string, unknown> | null {
  if (!isPlainObject(value)) return null;
  const detail = value.detail;
  if (isPlainObject(detail) && isPlainObject(detail.data) && ("detail-type" in value || "source" in value || "version" in value)) return detail.data;
  return null;
}

/** The event of a custom-webhook envelope (`data`), or null when the value is not one. */
export function webhookEvent(value: unknown): Record<string, unknown> | null {
  if (!isPlainObject(value) || !isPlainObject(value.data) || !("log_id" in value)) return null;
  return "type" in value || "date" in value ? null : value.data;
}

/** The bare event of an EventBridge or webhook envelope, or the record itself. */
export function unwrapAuth0Envelope(record: Record<string, unknown>): Record<string, unknown> {
  return eventBridgeEvent(record) ?? webhookEvent(record) ?? record;
}
