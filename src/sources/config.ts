/**
 * kansa's configuration: core's settings (src/core/config.ts) and every registered source's own
 * (SourceDefinition.settings), read from the environment in one pass. The README's table and
 * app.json come from the same rows.
 */
import { loadSettings, settingRows, type Config, type Env, type SettingRow } from "../core/config.ts";
import { sourceRegistry } from "./registry.ts";

const sourceSettings = () => sourceRegistry.map((definition) => definition.settings);

/** Parse and validate every setting from `env` (default: the process environment). */
export function loadConfig(env: Env = process.env): Config {
  return loadSettings(env, sourceSettings());
}

/** Rows of the configuration table: core's settings, then each source's in registry order. */
export function configTable(): SettingRow[] {
  return settingRows(sourceSettings());
}
