/** What normalising needs from the configuration (classification rules and the console's zone). */
export interface NormalizeOptions {
  /** IANA zone in which console CSV times (which carry no zone) are read. */
  consoleTimezone: string;
  /** Console actions matching this are data exports. */
  exportActionPattern: RegExp;
  /** Auth0 log types that are critical. */
  auth0CriticalTypes: readonly string[];
  /** Management API path prefixes whose sapi writes are critical. */
  auth0CriticalSapiPaths: readonly string[];
}

/** The options as the configuration gives them. */
export function normalizeOptionsFrom(config: {
  consoleTimezone: string;
  exportActionPattern: RegExp;
  auth0CriticalTypes: readonly string[];
  auth0CriticalSapiPaths: readonly string[];
}): NormalizeOptions {
  return {
    consoleTimezone: config.consoleTimezone,
    exportActionPattern: config.exportActionPattern,
    auth0CriticalTypes: config.auth0CriticalTypes,
    auth0CriticalSapiPaths: config.auth0CriticalSapiPaths,
  };
}
