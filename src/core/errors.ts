/**
 * One root for every error kansa raises on purpose. Each has a stable `code`, an optional
 * `cause`, and a message that names the source, the step and the record where they apply.
 * Messages pass through `redactSecrets` so no configured secret can leak through them.
 */
import { redactSecrets } from "./secrets.ts";

export interface KansaErrorOptions {
  cause?: unknown;
  /** Structured context (source, step, file, line, url...). Values are redacted too. */
  details?: Record<string, string | number | boolean | null | undefined>;
}

export class KansaError extends Error {
  readonly code: string;
  readonly details: Record<string, string | number | boolean | null | undefined>;

  constructor(code: string, message: string, options: KansaErrorOptions = {}) {
    super(redactSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    const details: Record<string, string | number | boolean | null | undefined> = {};
    for (const [key, value] of Object.entries(options.details ?? {})) {
      details[key] = typeof value === "string" ? redactSecrets(value) : value;
    }
    this.details = details;
  }
}

/** A setting is missing or malformed. The message names the variable and what is allowed. */
export class ConfigError extends KansaError {
  constructor(message: string, options: KansaErrorOptions = {}) {
    super("E_CONFIG", message, options);
  }
}

/** One input record (a CSV row, a JSON object) could not be read or normalised. */
export class InputError extends KansaError {
  constructor(message: string, options: KansaErrorOptions = {}) {
    super("E_INPUT", message, options);
  }
}

/** A source failed at a named step (login, download, fetch page...). */
export class SourceError extends KansaError {
  readonly retryable: boolean;
  constructor(code: string, message: string, options: KansaErrorOptions & { retryable?: boolean } = {}) {
    super(code, message, options);
    this.retryable = options.retryable ?? false;
  }
}

/**
 * The codes of StoreError: E_STORE for any failure, or a narrower one the user acts on:
 * E_DISK_FULL (the disk holding the embedded database is full: free space) and E_FOLDER_IN_USE
 * (another program than kansa has the embedded database's folder open: close it).
 */
export type StoreErrorCode = "E_STORE" | "E_DISK_FULL" | "E_FOLDER_IN_USE";

/** The database could not be opened, migrated or written. */
export class StoreError extends KansaError {
  constructor(message: string, options: KansaErrorOptions & { code?: StoreErrorCode } = {}) {
    super(options.code ?? "E_STORE", message, options);
  }
}

/** Rendering or sending the report failed. */
export class MailError extends KansaError {
  constructor(message: string, options: KansaErrorOptions = {}) {
    super("E_MAIL", message, options);
  }
}

/** The message of any thrown value, redacted. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return redactSecrets(error.message || error.name);
  return redactSecrets(String(error));
}
