/** The default configuration, for tests. */
import type { Config } from "../../src/core/config.ts";
import { loadConfig } from "../../src/sources/config.ts";

/** The default configuration, with the console read in `consoleTimezone` (default Asia/Tokyo). */
export function defaultConfig(consoleTimezone = "Asia/Tokyo"): Config {
  return { ...loadConfig({}), consoleTimezone };
}
