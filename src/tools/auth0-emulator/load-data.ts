/**
 * The emulated tenant's log entries: read from the files `kansa import` reads (Auth0 log-stream
 * files of EventBridge envelopes, JSON arrays, NDJSON; through the same reader), or generated
 * for a range of days by the demo generator.
 */
import type { Rejection } from "../../core/types.ts";
import { readFiles } from "../../sources/files/index.ts";
import { fileFormats } from "../../sources/registry.ts";
import { generateAuth0Events } from "../generator/auth0-events.ts";
import { buildOrganisation } from "../generator/organisation.ts";

export interface LoadedAuth0Data {
  events: Record<string, unknown>[];
  files: string[];
  /** Records the reader could not read, and files it could not read at all. */
  rejections: Rejection[];
}

/** Every Auth0 event in the files at `paths` (files, or folders read recursively). */
export async function loadAuth0Files(paths: string[]): Promise<LoadedAuth0Data> {
  const out: LoadedAuth0Data = { events: [], files: [], rejections: [] };
  for await (const item of readFiles(paths, { formats: fileFormats(), config: {}, batchSize: 5000 })) {
    if (item.kind === "file-start") out.files.push(item.file);
    else if (item.kind === "file-error") out.rejections.push({ origin: item.file, locator: "file", reason: item.reason });
    else if (item.kind === "batch") {
      out.rejections.push(...item.rejections);
      if (item.batch.source !== "auth0") {
        out.rejections.push({ origin: item.file, locator: "file", reason: "a console CSV, not Auth0 events" });
        continue;
      }
      for (const { record, locator } of item.batch.records) {
        if (typeof record === "object" && record !== null && !Array.isArray(record)) out.events.push(record as Record<string, unknown>);
        else out.rejections.push({ origin: item.file, locator, reason: "not a JSON object" });
      }
    }
  }
  return out;
}

export interface GenerateAuth0Options {
  /** First and last day, YYYY-MM-DD in `timezone`, both included. */
  from: string;
  to: string;
  /** Average events per day (default 40). */
  perDay?: number;
  /** Exact total; overrides perDay. */
  total?: number;
  seed?: number;
  timezone?: string;
  /** Auth0 tenant name (the hostname is `<tenant>.jp.auth0.com`). */
  tenant?: string;
}

/** Generated Auth0 log events for the range, in log_id order. */
export function generateAuth0Records(options: GenerateAuth0Options): Record<string, unknown>[] {
  const org = buildOrganisation({
    seed: options.seed ?? 1,
    timezone: options.timezone ?? "Asia/Tokyo",
    ...(options.tenant !== undefined ? { auth0Tenant: options.tenant } : {}),
  });
  return generateAuth0Events(org, {
    from: options.from,
    to: options.to,
    ...(options.perDay !== undefined ? { perDay: options.perDay } : {}),
    ...(options.total !== undefined ? { total: options.total } : {}),
  });
}
