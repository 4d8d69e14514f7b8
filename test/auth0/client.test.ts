/** The Management API client against the emulated tenant: tokens, retries, budget, pacing, errors. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { startAuth0Emulator, type Auth0Emulator } from "../../src/tools/auth0-emulator/index.ts";
import { Auth0Client, auth0BaseUrl, parseNextLink, type Auth0ClientOptions } from "../../src/sources/auth0/index.ts";
import { FAST, SECRET, capturingLogger, recentEvents, rejection } from "./helpers.ts";

type Entry = { log_id: string; date: string };

function clientFor(emulator: Auth0Emulator, overrides: Partial<Auth0ClientOptions> = {}): Auth0Client {
  return new Auth0Client({ domain: emulator.url, clientId: emulator.clientId, clientSecret: SECRET, retryBudget: 60, ...FAST, ...overrides });
}

test("AUTH0_DOMAIN: a bare domain means https, a full URL is used as given; Link headers are parsed", () => {
  assert.equal(auth0BaseUrl("example.eu.auth0.com"), "https://example.eu.auth0.com");
  assert.equal(auth0BaseUrl("example.eu.auth0.com/"), "https://example.eu.auth0.com");
  assert.equal(auth0BaseUrl("http://127.0.0.1:4010/"), "http://127.0.0.1:4010");
  assert.equal(auth0BaseUrl("https://proxy.example/auth0"), "https://proxy.example/auth0");
  assert.throws(() => auth0BaseUrl("ftp://example.com"), /AUTH0_DOMAIN/);
  assert.throws(() => auth0BaseUrl("https://user:pw@example.com"), /AUTH0_DOMAIN/);
  assert.equal(parseNextLink('<https://t.auth0.com/api/v2/logs?from=9&take=100>; rel="next"'), "https://t.auth0.com/api/v2/logs?from=9&take=100");
  assert.equal(parseNextLink('<https://a/prev>; rel="prev", <https://a/next>; rel=next'), "https://a/next");
  assert.equal(parseNextLink('<https://a/x>; rel="last"'), null);
  assert.equal(parseNextLink(null), null);
});

test("one token serves every page until shortly before it expires; then a new one is fetched before the API refuses it", async () => {
  const events = recentEvents(1000) as Entry[];
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off" });
  // 4 s tokens, renewed after 2 s (half their life): the first page takes well under 2 s even on
  // a loaded machine (with 1 s tokens it did not always, and a third token was fetched).
  const shortLived = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off", tokenLifetimeSeconds: 4 });
  try {
    const client = clientFor(emulator);
    let from = events[0]!.log_id;
    for (let i = 0; i < 9; i++) {
      const page = await client.fetchLogs(client.checkpointUrl(from), "page");
      assert.equal(page.entries.length, 100);
      from = String(page.entries[99]!.log_id);
    }
    assert.equal(emulator.stats.tokenRequests, 1);

    const short = clientFor(shortLived);
    await short.fetchLogs(short.checkpointUrl(events[0]!.log_id), "page");
    await new Promise((r) => setTimeout(r, 2_200)); // past half of the 4 s lifetime: renewed proactively
    await short.fetchLogs(short.checkpointUrl(events[0]!.log_id), "page");
    assert.equal(shortLived.stats.tokensIssued, 2);
    assert.equal(shortLived.stats.unauthorized, 0, "never sent an expired token");
  } finally {
    await emulator.close();
    await shortLived.close();
  }
});

test("a 401 from the API (token revoked or expired early) is answered with one fresh token, once", async () => {
  const events = recentEvents(300) as Entry[];
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off" });
  try {
    const stats: Record<string, number> = {};
    const client = clientFor(emulator, { stats });
    const first = await client.fetchLogs(client.checkpointUrl(events[0]!.log_id), "page 1");
    emulator.revokeTokens();
    const second = await client.fetchLogs(client.checkpointUrl(String(first.entries[99]!.log_id)), "page 2");
    assert.equal(second.entries.length, 100);
    assert.equal(emulator.stats.unauthorized, 1);
    assert.equal(emulator.stats.tokensIssued, 2);
    assert.equal(client.retries, 0, "a token refresh is not a retry");
  } finally {
    await emulator.close();
  }
});

test("wrong credentials are not retried and the error names the domain, the step and the status, never the secret", async () => {
  const emulator = await startAuth0Emulator({ events: recentEvents(10), clientSecret: "the-right-secret-value", rate: "off" });
  try {
    const { log, lines } = capturingLogger();
    const client = clientFor(emulator, { log });
    const error = await rejection(client.fetchLogs(client.checkpointUrl("1"), "checkpoint page"));
    assert.equal(error.code, "E_AUTH0_CREDENTIALS");
    assert.equal(error.retryable, false);
    const host = new URL(emulator.url).host;
    assert.ok(error.message.includes(host), error.message);
    assert.match(error.message, /token request/);
    assert.match(error.message, /HTTP 401/);
    assert.match(error.message, /AUTH0_CLIENT_SECRET/);
    assert.equal(emulator.stats.tokenRequests, 1, "not retried");
    assert.equal(emulator.stats.apiRequests, 0);
    const everything = `${error.message} ${JSON.stringify(error.details)} ${String((error.cause as Error | undefined)?.message)} ${lines.join("")}`;
    assert.ok(!everything.includes(SECRET), "the secret appears nowhere");
  } finally {
    await emulator.close();
  }
});

test("a token without read:logs gets a 403 that is not retried and says which scope to grant", async () => {
  const emulator = await startAuth0Emulator({ events: recentEvents(10), clientSecret: SECRET, rate: "off", scopes: ["read:users"] });
  try {
    const client = clientFor(emulator);
    const error = await rejection(client.fetchLogs(client.checkpointUrl("1"), "checkpoint page"));
    assert.equal(error.code, "E_AUTH0_FORBIDDEN");
    assert.match(error.message, /read:logs/);
    assert.equal(emulator.stats.apiRequests, 1);
  } finally {
    await emulator.close();
  }
});

test("50 consecutive 429s are waited out within the budget", async () => {
  const events = recentEvents(200) as Entry[];
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off", faults: { rateLimitNext: 50 } });
  try {
    const stats: Record<string, number> = {};
    const client = clientFor(emulator, { stats, retryBudget: 60 });
    const page = await client.fetchLogs(client.checkpointUrl(events[0]!.log_id), "checkpoint page");
    assert.equal(page.entries.length, 100);
    assert.equal(client.retries, 50);
    assert.equal(stats.retries, 50);
    assert.equal(stats.rateLimited, 50);
    assert.equal(emulator.stats.rateLimited, 50);
    assert.equal(client.retriesLeft, 10);
  } finally {
    await emulator.close();
  }
});

test("a 500 storm spends the budget and the client gives up with the domain, the step and the last status", async () => {
  const emulator = await startAuth0Emulator({ events: recentEvents(50), clientSecret: SECRET, rate: "off", faults: { serverErrorNext: 1000 } });
  try {
    const client = clientFor(emulator, { retryBudget: 5 });
    const error = await rejection(client.fetchLogs(client.checkpointUrl("42"), "checkpoint page after log_id 42"));
    assert.equal(error.code, "E_AUTH0_GAVE_UP");
    assert.ok(error.message.includes(new URL(emulator.url).host), error.message);
    assert.match(error.message, /checkpoint page after log_id 42/);
    assert.match(error.message, /last status: HTTP 500/);
    assert.match(error.message, /5 retries/);
    assert.equal(emulator.stats.apiRequests, 6, "one try and five retries");
    assert.equal(error.details.status, 500);
  } finally {
    await emulator.close();
  }
});

test("the wait before a retry honours Retry-After and X-RateLimit-Reset", async () => {
  const events = recentEvents(20) as Entry[];
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off", faults: { rateLimitNext: 1, retryAfterSeconds: 1 } });
  try {
    const client = clientFor(emulator, { maxRetryDelayMs: 5_000 });
    await client.fetchLogs(client.checkpointUrl(events[0]!.log_id), "page");
    const api = emulator.stats.requests.filter((r) => r.path.startsWith("/api/"));
    assert.deepEqual(api.map((r) => r.status), [429, 200]);
    assert.ok(api[1]!.at - api[0]!.at >= 950, `waited ${api[1]!.at - api[0]!.at} ms for Retry-After: 1`);

    emulator.faults.retryAfterSeconds = null;
    emulator.faults.rateLimitNext = 1;
    await client.fetchLogs(client.checkpointUrl(events[0]!.log_id), "page");
    const [refused, retried] = emulator.stats.requests.filter((r) => r.path.startsWith("/api/")).slice(2);
    assert.equal(refused!.status, 429);
    const reset = (Math.floor(refused!.at / 1000) + 1) * 1000;
    assert.ok(retried!.at >= reset - 5, "retried once the X-RateLimit-Reset second had come");
  } finally {
    await emulator.close();
  }
});

test("the client paces itself on X-RateLimit-Remaining: 0, so the free plan's 2 requests a second never answer 429", async () => {
  const events = recentEvents(700) as Entry[];
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: 2 });
  try {
    const client = clientFor(emulator, { maxRetryDelayMs: 5_000 });
    let from = events[0]!.log_id;
    const started = Date.now();
    for (let i = 0; i < 6; i++) {
      const page = await client.fetchLogs(client.checkpointUrl(from), "page");
      from = String(page.entries[page.entries.length - 1]!.log_id);
    }
    assert.equal(emulator.stats.rateLimited, 0);
    assert.equal(client.retries, 0);
    const perSecond = new Map<number, number>();
    for (const r of emulator.stats.requests.filter((x) => x.path.startsWith("/api/"))) perSecond.set(Math.floor(r.at / 1000), (perSecond.get(Math.floor(r.at / 1000)) ?? 0) + 1);
    assert.ok([...perSecond.values()].every((n) => n <= 2), "never more than two requests in one second");
    assert.ok(Date.now() - started >= 1_000, "six requests at two a second span three seconds of the clock");
  } finally {
    await emulator.close();
  }
});

test("a connection cut mid-body and an answer slower than the timeout are retried", async () => {
  const events = recentEvents(200) as Entry[];
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off", faults: { dropNext: 2, stallNext: 1, stallMs: 2_000 } });
  try {
    const stats: Record<string, number> = {};
    const client = clientFor(emulator, { stats, requestTimeoutMs: 300 });
    const page = await client.fetchLogs(client.checkpointUrl(events[0]!.log_id), "page");
    assert.deepEqual(page.entries.map((e) => e.log_id), events.slice(1, 101).map((e) => e.log_id));
    assert.equal(client.retries, 3);
    assert.equal(emulator.stats.dropped, 2);
    assert.equal(emulator.stats.stalled, 1);
  } finally {
    await emulator.close();
  }
});

test("search mode: the first entry at or after a date; paging past 1,000 results is a 400 that is not retried", async () => {
  const events = recentEvents(1200) as Entry[];
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off" });
  try {
    const client = clientFor(emulator);
    const first = await client.firstLogAtOrAfter(new Date(events[500]!.date));
    assert.equal(first?.log_id, events[500]!.log_id);
    assert.equal(await client.firstLogAtOrAfter(new Date(Date.now() + 3_600_000)), null);
    const ninth = await client.searchLogs({ page: 9, perPage: 100, sort: "date:1" });
    assert.equal(ninth.length, 100);
    const before = emulator.stats.apiRequests;
    const error = await rejection(client.searchLogs({ page: 10, perPage: 100 }));
    assert.equal(error.code, "E_AUTH0_REFUSED");
    assert.match(error.message, /HTTP 400/);
    assert.match(error.message, /first 1000 records/);
    assert.equal(emulator.stats.apiRequests, before + 1);
  } finally {
    await emulator.close();
  }
});
