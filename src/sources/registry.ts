/**
 * The sources kansa knows, and which of them the configuration enables. Adding a source is one
 * folder under src/sources and one line here.
 */
import type { Config } from "../core/config.ts";
import type { Source, SourceName } from "../core/types.ts";
import { createAuth0Source } from "./auth0/index.ts";
import { createKintoneSource } from "./kintone/index.ts";

interface SourceEntry {
  name: SourceName;
  /** The source when its settings are complete, else null (not configured). */
  create(config: Config): Source | null;
  /** The settings that enable it, for messages such as "set AUTH0_DOMAIN, ...". */
  settings: string[];
}

export const sourceRegistry: SourceEntry[] = [
  // one line per source, e.g. { name: "auth0", create: createAuth0Source, settings: [...] },
  { name: "auth0", create: createAuth0Source, settings: ["AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"] },
  { name: "kintone", create: (config) => createKintoneSource(config), settings: ["KINTONE_HOSTNAME", "KINTONE_ADMIN_ID", "KINTONE_ADMIN_PW"] },
];

/** The sources whose settings are complete. */
export function configuredSources(config: Config): Source[] {
  return sourceRegistry.map((entry) => entry.create(config)).filter((s): s is Source => s !== null);
}

/** The registry entry for `name`, or undefined. */
export function sourceEntry(name: string): SourceEntry | undefined {
  return sourceRegistry.find((entry) => entry.name === name);
}
