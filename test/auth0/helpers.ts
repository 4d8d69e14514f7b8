/** Shared pieces of the Auth0 tests: generated events, a token, a collect context, draining a source. */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { SourceError } from "../../src/core/errors.ts";
import type { Logger } from "../../src/core/logger.ts";
import { redactSecrets } from "../../src/core/secrets.ts";
import type { CollectContext, RawBatch, TimeRange } from "../../src/core/types.ts";
import type { Source } from "../../src/sources/contract.ts";
import { generateAuth0Records } from "../../src/tools/auth0-emulator/index.ts";
import type { Auth0Emulator } from "../../src/tools/auth0-emulator/index.ts";
import { auth0Source, type Auth0SourceSettings } from "../../src/sources/auth0/index.ts";

export const DAY_MS = 86_400_000;
export const SECRET = "s3cr3t-Emulator-Client-Secret-9f2c";
export const CLIENT_ID = "kansa-test-client";

function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * `total` generated events spread over the `days` UTC days ending the day before `endMs`
 * (default: now), in log_id order.
 */
export function recentEvents(total: number, days = 10, endMs = Date.now(), seed = 7): Record<string, unknown>[] {
  return generateAuth0Records({ from: dayKey(endMs - days * DAY_MS), to: dayKey(endMs - DAY_MS), total, seed, timezone: "UTC" });
}

/** A token from the emulator's token endpoint. */
export async function token(emulator: Auth0Emulator, secret = SECRET): Promise<string> {
  const res = await fetch(`${emulator.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials", client_id: emulator.clientId, client_secret: secret, audience: `${emulator.url}/api/v2/` }),
  });
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

/** A logger that keeps every line (redacted, as the real logger writes them). */
export function capturingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(redactSecrets(chunk.toString("utf8")));
      done();
    },
  });
  return { log: pino({ level: "debug" }, stream), lines };
}

export function context(log: Logger = pino({ level: "silent" }), extra: Partial<CollectContext> = {}): CollectContext {
  return { artifactsDir: mkdtempSync(join(tmpdir(), "kansa-auth0-")), log, stats: {}, warnings: [], gaps: [], ...extra };
}

/** Fast retries for tests: the server's wait is still honoured up to `maxRetryDelayMs`. */
export const FAST: NonNullable<Auth0SourceSettings["transport"]> = { minRetryDelayMs: 5, maxRetryDelayMs: 30, requestTimeoutMs: 5_000 };

export function sourceFor(emulator: Auth0Emulator, overrides: Partial<Auth0SourceSettings> = {}): Source {
  return auth0Source({
    domain: emulator.url,
    clientId: emulator.clientId,
    clientSecret: SECRET,
    tenant: "test-tenant.auth0.com",
    retryBudget: 60,
    retentionDays: 30,
    transport: FAST,
    ...overrides,
  });
}

/** Every batch a source yields for `range` from `cursor`. */
export async function drain(source: Source, range: TimeRange, cursor: string | null, ctx: CollectContext = context()): Promise<RawBatch[]> {
  const out: RawBatch[] = [];
  for await (const batch of source.collect(range, cursor, ctx)) out.push(batch);
  return out;
}

/** The log_ids of auth0 batches, in order. */
export function logIds(batches: RawBatch[]): string[] {
  return batches.flatMap((b) => (b.source === "auth0" ? b.records.map((r) => String((r.record as { log_id: string }).log_id)) : []));
}

export function wideRange(nowMs = Date.now()): TimeRange {
  return { from: new Date(nowMs - 30 * DAY_MS), to: new Date(nowMs + DAY_MS) };
}

/** The SourceError `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SourceError, `a SourceError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected a rejection");
}
