/**
 * A source's severity catalogue under the configuration: its entries (data, in its folder) with a
 * setting's overrides applied. The setting is comma-separated `key=severity` items: a key the
 * catalogue has changes that entry's severity (`=none` removes it), any other key adds an entry
 * the source builds from the key, listed before the defaults.
 */
import type { Setting } from "../core/config.ts";
import { ConfigError } from "../core/errors.ts";
import { SEVERITIES, type Severity } from "../core/report-model.ts";
import type { SeverityEntry } from "./contract.ts";

/** A setting's overrides, by key: a severity, or null to remove the entry. */
export type SeverityOverrides = ReadonlyMap<string, Severity | null>;

/** An entry of a catalogue: its key (what an override names) and what it matches. */
export interface CatalogueEntry<M> extends SeverityEntry {
  key: string;
  match: M;
}

/** A setting of `key=severity` overrides (unset: none). */
export const severityOverrides = (env: string, description: string, group: string): Setting<SeverityOverrides> => ({
  env, description, group, defaultText: "",
  parse: (value) => parseSeverityOverrides(env, value),
});

/** The overrides of `value`; a malformed item is an error naming `env` and the item. */
export function parseSeverityOverrides(env: string, value: string | undefined): SeverityOverrides {
  const overrides = new Map<string, Severity | null>();
  for (const raw of (value ?? "").split(",")) {
    const item = raw.trim();
    if (item === "") continue;
    const at = item.lastIndexOf("=");
    const key = item.slice(0, Math.max(at, 0)).trim();
    const severity = item.slice(at + 1).trim().toLowerCase();
    if (at <= 0 || key === "" || (severity !== "none" && !(SEVERITIES as readonly string[]).includes(severity))) {
      throw new ConfigError(`${env} must be comma-separated key=severity items (severity: ${SEVERITIES.join(", ")} or none), got "${item}".`, { details: { variable: env } });
    }
    overrides.set(key, severity === "none" ? null : (severity as Severity));
  }
  return overrides;
}

/**
 * The catalogue with `overrides` applied: entries added for the keys it does not have (built by
 * `added`; null: the key is ignored), first, then its own entries with their severity overridden
 * or removed. `keyOf` spells an override's key the way the catalogue does.
 */
export function applySeverityOverrides<M>(
  catalogue: readonly CatalogueEntry<M>[],
  overrides: SeverityOverrides,
  added: (key: string, severity: Severity) => CatalogueEntry<M> | null,
  keyOf: (key: string) => string = (key) => key,
): CatalogueEntry<M>[] {
  const byKey = new Map<string, Severity | null>();
  for (const [key, severity] of overrides) byKey.set(keyOf(key), severity);
  const known = new Set(catalogue.map((entry) => entry.key));
  const extra: CatalogueEntry<M>[] = [];
  for (const [key, severity] of byKey) {
    if (known.has(key) || severity === null) continue;
    const entry = added(key, severity);
    if (entry) extra.push(entry);
  }
  const own = catalogue.flatMap((entry) => {
    if (!byKey.has(entry.key)) return [entry];
    const severity = byKey.get(entry.key)!;
    return severity === null ? [] : [{ ...entry, severity }];
  });
  return [...extra, ...own];
}

/** `compute(overrides)`, computed once per overrides object (the configuration's). */
export function perOverrides<T>(compute: (overrides: SeverityOverrides) => T): (overrides: SeverityOverrides) => T {
  const cache = new WeakMap<SeverityOverrides, T>();
  return (overrides) => {
    let value = cache.get(overrides);
    if (value === undefined) {
      value = compute(overrides);
      cache.set(overrides, value);
    }
    return value;
  };
}
