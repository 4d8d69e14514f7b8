/** Normalise options as the default configuration gives them, for tests. */
import { loadConfig } from "../../src/sources/config.ts";
import { normalizeOptionsFrom, type NormalizeOptions } from "../../src/normalize/options.ts";

/** The default options, with the console read in `consoleTimezone` (default Asia/Tokyo). */
export function testNormalizeOptions(consoleTimezone = "Asia/Tokyo"): NormalizeOptions {
  return { ...normalizeOptionsFrom(loadConfig({})), consoleTimezone };
}
