/**
 * Organisations: who kansa watches. One deployment may watch several organisations (KANSA_CONFIG),
 * each with its own report time zone and language, recipients, detection settings and source
 * instances; without KANSA_CONFIG the single-organisation environment variables mean one
 * organisation named "default", exactly as before.
 *
 * (Skeleton: KANSA_CONFIG parsing is being written; the single-organisation path is complete.)
 */
import type { Config, Env } from "../core/config.ts";
import { ConfigError } from "../core/errors.ts";
import type { Source } from "./contract.ts";
import { loadConfig } from "./config.ts";
import { configuredSources } from "./registry.ts";

/** The name of the one organisation of the single-organisation environment variables. */
export const DEFAULT_ORGANISATION = "default";

/** One configured source instance: the source, and the settings it collects and normalises with. */
export interface SourceInstance {
  source: Source;
  /** The organisation's settings with this instance's own fields applied (its console time zone, say). */
  config: Config;
}

export interface Organisation {
  /** Its name (KANSA_CONFIG's `name`), or "default". */
  name: string;
  /** Its settings: the environment's, with the organisation's time zone, language, recipients and detection settings applied. */
  config: Config;
  /** Its source instances, in the order configured. */
  sources: SourceInstance[];
  /** True when it comes from KANSA_CONFIG (its report covers only its own tenants). */
  configured: boolean;
}

/** Every organisation of the environment: KANSA_CONFIG's, else the one of the single-organisation variables. */
export function loadOrganisations(env: Env = process.env): Organisation[] {
  const config = loadConfig(env);
  return [{ name: DEFAULT_ORGANISATION, config, sources: configuredSources(config).map((source) => ({ source, config })), configured: false }];
}

/**
 * The organisation named by `--org`; without a name, the only one. Several organisations and no
 * name, or an unknown name, is one sentence listing the names.
 */
export function selectOrganisation(organisations: readonly Organisation[], name: string | undefined): Organisation {
  const names = organisations.map((o) => o.name).join(", ");
  if (name === undefined) {
    if (organisations.length === 1) return organisations[0]!;
    throw new ConfigError(`KANSA_CONFIG describes ${organisations.length} organisations (${names}): name one with --org NAME.`);
  }
  const found = organisations.find((o) => o.name === name);
  if (!found) throw new ConfigError(`--org ${name}: no such organisation; KANSA_CONFIG describes ${names}.`);
  return found;
}
