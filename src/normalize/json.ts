/** Small readers for loosely typed JSON fields (a field may be a string here, an object there). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A string field, a number or boolean as text, else null (objects and arrays are not text). */
export function textOf(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return null;
}

/** A non-empty string form of `value`, else null. */
export function nonEmptyText(value: unknown): string | null {
  const text = textOf(value);
  return text === null || text.trim() === "" ? null : text;
}
