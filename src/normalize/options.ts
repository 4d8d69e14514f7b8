/**
 * What normalising reads from the configuration: the whole of it, since each source's normaliser
 * reads its own settings (a zone its times are in, its classification rules) from its part.
 */
import type { Config } from "../core/config.ts";

export type NormalizeOptions = Config;

/** The options as the configuration gives them. */
export function normalizeOptionsFrom(config: Config): NormalizeOptions {
  return config;
}
