/**
 * Bounds and repairs for JSON records before they reach the store (issue 21: one record never
 * sinks, poisons or exhausts anything).
 *
 * - Nesting depth: JSON.stringify, the id hash and the store all walk a record recursively, and
 *   Node's stack gives out near 10,000 levels, ending the whole import. No real audit event nests
 *   deeper than about 6 levels (`details.request.body...`); MAX_JSON_DEPTH leaves ample room.
 * - Lone UTF-16 surrogates (`"\ud800"` in JSON): JSON.parse accepts them, JSON.stringify writes
 *   them back as `\ud800`, and PostgreSQL's json type refuses that text when it reads the row
 *   ("Unicode low surrogate must follow a high surrogate"), so a stored row could never be read
 *   back nor the file imported again. Each one becomes U+FFFD, in keys and values alike.
 * - Key lengths: source + tenant + externalId form a btree index entry, which PostgreSQL limits
 *   to 2,704 bytes (a third of an 8 KiB page); a 10 KB `log_id` or `hostname` failed its whole
 *   batch. MAX_EXTERNAL_ID_BYTES and MAX_TENANT_BYTES keep the entry well inside that limit.
 */

import { MAX_JSON_DEPTH } from "../core/limits.ts";

export { MAX_JSON_DEPTH };

/** Longest external id accepted, in UTF-8 bytes (real log ids have a few dozen characters). */
export const MAX_EXTERNAL_ID_BYTES = 1024;

/** Longest tenant accepted, in UTF-8 bytes (a DNS name has at most 253 characters). */
export const MAX_TENANT_BYTES = 255;

/** Marker added to `raw` when strings were repaired: the record as stored is not byte for byte the original. */
export const REPAIRED_KEY = "kansa:repaired";
export const REPAIRED_NOTE = "lone UTF-16 surrogates replaced by U+FFFD";

export interface JsonInspection {
  /** Nesting went past MAX_JSON_DEPTH (the walk stopped there). */
  tooDeep: boolean;
  /** Some key or string holds a lone surrogate. */
  illFormed: boolean;
}

/** Walk a JSON value without recursion, down to `maxDepth` levels at most. */
export function inspectJson(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonInspection {
  let illFormed = false;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (typeof v === "string") {
      if (!illFormed && !isWellFormedText(v)) illFormed = true;
      continue;
    }
    if (typeof v !== "object" || v === null) continue;
    if (depth + 1 > maxDepth) return { tooDeep: true, illFormed };
    if (Array.isArray(v)) {
      for (const item of v) stack.push({ value: item, depth: depth + 1 });
    } else {
      for (const [key, item] of Object.entries(v)) {
        if (!illFormed && !isWellFormedText(key)) illFormed = true;
        stack.push({ value: item, depth: depth + 1 });
      }
    }
  }
  return { tooDeep: false, illFormed };
}

/** A copy of a JSON value (depth already checked) with every lone surrogate made U+FFFD. */
export function wellFormedJson(value: unknown): unknown {
  if (typeof value === "string") return toWellFormedText(value);
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(wellFormedJson);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[toWellFormedText(key)] = wellFormedJson(item);
  return out;
}

/** A high surrogate with no low one after it, or a low one with no high one before it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Whether a string is valid Unicode (String.prototype.isWellFormed, which our ES2022 lib does not declare). */
export function isWellFormedText(text: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  return !LONE_SURROGATE.test(text);
}

/** The string with each lone surrogate replaced by U+FFFD (String.prototype.toWellFormed). */
export function toWellFormedText(text: string): string {
  return isWellFormedText(text) ? text : text.replace(LONE_SURROGATE, "\ufffd");
}

/** UTF-8 length of a string. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
