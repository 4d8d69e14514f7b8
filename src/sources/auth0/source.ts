/**
 * The `auth0` source: the tenant's log through the Management API, one batch per page, each
 * batch's cursor being the last log_id of its page (the orchestrator stores the batch, then the
 * cursor: store-then-advance). With a cursor, it pages by checkpoint from it until Auth0 answers
 * an empty page (caught up) or a page reaches the end of the range. Without one, it finds the
 * oldest entry still retained that is not before `range.from` (search mode, by date), yields it,
 * and pages by checkpoint from there. It warns when the previous successful pull is older than
 * the plan's retention, since entries may have been lost in between.
 */
import type { Config } from "../../core/config.ts";
import { SourceError } from "../../core/errors.ts";
import type { CollectContext, RawBatch, TimeRange } from "../../core/types.ts";
import type { Source } from "../contract.ts";
import { Auth0Client, type Auth0ClientOptions } from "./client.ts";
import { auth0BaseUrl, auth0Host } from "./domain.ts";
import { now as clockNow } from "../../core/clock.ts";

const DAY_MS = 86_400_000;

export interface Auth0SourceSettings {
  domain: string;
  clientId: string;
  clientSecret: string;
  /** Tenant name stored with the events (default: the host of the domain). */
  tenant?: string | undefined;
  retryBudget: number;
  /** How long one request is retried after its first failure (AUTH0_MAX_RETRY_WAIT_SECONDS; default 150 s). */
  maxRetryWaitMs?: number;
  /** The plan's retention in days (AUTH0_RETENTION_DAYS). */
  retentionDays: number;
  /** With no cursor yet, a daily run or a collect starts this many days back (AUTH0_START_DAYS; default 30). */
  startDays?: number;
  /** Entries per checkpoint page (Auth0 allows at most 100; default 100). */
  take?: number;
  /** Transport tuning (timeouts, delays, fetch) for tests and the bench. */
  transport?: Pick<Auth0ClientOptions, "requestTimeoutMs" | "minRetryDelayMs" | "maxRetryDelayMs" | "tokenRefreshMarginMs" | "fetch">;
  /** The clock (default: kansa's clock), for retention arithmetic. */
  now?: () => number;
}

function logIdOf(entry: Record<string, unknown>): string | null {
  return typeof entry.log_id === "string" && entry.log_id !== "" ? entry.log_id : null;
}

function dateOf(entry: Record<string, unknown>): number {
  return typeof entry.date === "string" ? Date.parse(entry.date) : Number.NaN;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The auth0 source for explicit settings (createAuth0Source reads them from the config). */
export function auth0Source(settings: Auth0SourceSettings): Source {
  const baseUrl = auth0BaseUrl(settings.domain);
  const tenant = settings.tenant ?? auth0Host(baseUrl);
  const take = Math.min(100, Math.max(1, settings.take ?? 100));
  const now = settings.now ?? (() => clockNow().getTime());

  async function* collect(range: TimeRange, cursor: string | null, context: CollectContext): AsyncGenerator<RawBatch> {
    const client = new Auth0Client({
      ...settings.transport,
      domain: settings.domain,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      retryBudget: settings.retryBudget,
      ...(settings.maxRetryWaitMs !== undefined ? { maxRetryWaitMs: settings.maxRetryWaitMs } : {}),
      log: context.log,
      stats: context.stats,
      ...(context.signal ? { signal: context.signal } : {}),
    });
    context.stats.pages ??= 0;
    context.stats.retries ??= 0;
    const started = now();
    const horizon = started - settings.retentionDays * DAY_MS;
    if (context.previousSuccessAt && context.previousSuccessAt.getTime() < horizon) {
      context.gaps.push(
        `Auth0 ${tenant}: the previous successful pull was at ${context.previousSuccessAt.toISOString()}, more than ${settings.retentionDays} days ago (AUTH0_RETENTION_DAYS): entries may have been lost between ${context.previousSuccessAt.toISOString()} and ${iso(horizon)}.`,
      );
    }
    const batch = (entries: Record<string, unknown>[], origin: string, page: number, last: string): RawBatch => ({
      source: "auth0",
      records: entries.map((record, i) => ({ record, locator: logIdOf(record) ? `log_id ${logIdOf(record)}` : `page ${page}, entry ${i + 1}` })),
      origin,
      tenant,
      cursor: last,
    });

    let from = cursor !== null && cursor !== "" ? cursor : null;
    let page = 0;
    if (from === null) {
      if (range.from.getTime() < horizon - DAY_MS) {
        context.gaps.push(
          `Auth0 ${tenant}: the plan keeps ${settings.retentionDays} days of logs (AUTH0_RETENTION_DAYS), so entries between ${range.from.toISOString()} and ${iso(horizon)} are no longer available.`,
        );
      }
      const first = await client.firstLogAtOrAfter(range.from);
      if (first === null) {
        context.log.info({ since: range.from.toISOString() }, "Auth0 holds no entry since the start of the range");
        return;
      }
      const id = logIdOf(first);
      if (id === null) throw new SourceError("E_AUTH0_RESPONSE", `Auth0 ${client.host}: search for the first entry: the entry has no log_id, so paging cannot start from it.`, { details: { source: "auth0", domain: client.host, step: "search" } });
      page += 1;
      context.stats.pages += 1;
      yield batch([first], `${client.baseUrl}/api/v2/logs (search: date since ${range.from.toISOString()})`, page, id);
      if (dateOf(first) >= range.to.getTime()) return;
      from = id;
    }

    let url = client.checkpointUrl(from, take);
    for (;;) {
      const result = await client.fetchLogs(url, `checkpoint page after log_id ${from}`);
      if (result.entries.length === 0) return; // caught up
      let last: string | null = null;
      for (let i = result.entries.length - 1; i >= 0 && last === null; i--) last = logIdOf(result.entries[i]!);
      if (last === null) {
        throw new SourceError("E_AUTH0_RESPONSE", `Auth0 ${client.host}: checkpoint page after log_id ${from}: no entry of the page has a log_id, so the cursor cannot advance.`, { details: { source: "auth0", domain: client.host, step: "checkpoint page" } });
      }
      if (last === from) {
        throw new SourceError("E_AUTH0_RESPONSE", `Auth0 ${client.host}: checkpoint page after log_id ${from}: the page ends at the same log_id, so paging would not advance.`, { details: { source: "auth0", domain: client.host, step: "checkpoint page" } });
      }
      page += 1;
      context.stats.pages += 1;
      context.log.debug({ page, entries: result.entries.length, cursor: last }, "Auth0 checkpoint page");
      yield batch(result.entries, result.url, page, last);
      if (result.entries.some((e) => dateOf(e) >= range.to.getTime())) return; // the range is covered
      from = last;
      // Auth0 asks that paging follow the Link header; it is only followed to this tenant's logs endpoint.
      url = result.next !== null && client.isLogsUrl(result.next) && result.next !== result.url ? result.next : client.checkpointUrl(last, take);
    }
  }

  return { name: "auth0", tenant, resume: { kind: "cursor", startDays: settings.startDays ?? 30 }, collect };
}

/**
 * The auth0 source from the configuration, or null unless AUTH0_DOMAIN, AUTH0_CLIENT_ID and
 * AUTH0_CLIENT_SECRET are all set. The tenant is AUTH0_TENANT, else the host of the domain.
 */
export function createAuth0Source(config: Config): Source | null {
  if (!config.auth0Domain || !config.auth0ClientId || !config.auth0ClientSecret) return null;
  return auth0Source({
    domain: config.auth0Domain,
    clientId: config.auth0ClientId,
    clientSecret: config.auth0ClientSecret,
    tenant: config.auth0Tenant,
    retryBudget: config.auth0RetryBudget,
    maxRetryWaitMs: config.auth0MaxRetryWaitSeconds * 1000,
    retentionDays: config.auth0RetentionDays,
    startDays: config.auth0StartDays,
  });
}
