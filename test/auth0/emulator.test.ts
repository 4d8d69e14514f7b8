/** The emulated Auth0 tenant answers like Auth0 (statuses, bodies, headers, paging, retention). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { startAuth0Emulator } from "../../src/tools/auth0-emulator/index.ts";
import { parseLogQuery } from "../../src/tools/auth0-emulator/query-syntax.ts";
import { serveAuth0 } from "../../src/tools/auth0-emulator/serve.ts";
import { DAY_MS, SECRET, recentEvents, token } from "./helpers.ts";

type Entry = Record<string, unknown> & { log_id: string; date: string };

async function get(url: string, bearer?: string): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(url, bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {});
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

async function postToken(url: string, body: Record<string, unknown>, form = false): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": form ? "application/x-www-form-urlencoded" : "application/json" },
    body: form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test("token endpoint: client credentials give a 24-hour bearer token; wrong secret, grant or audience are refused as Auth0 does", async () => {
  const emulator = await startAuth0Emulator({ events: [], clientSecret: SECRET, rate: "off" });
  try {
    const audience = `${emulator.url}/api/v2/`;
    const ok = await postToken(emulator.url, { grant_type: "client_credentials", client_id: emulator.clientId, client_secret: SECRET, audience });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.token_type, "Bearer");
    assert.equal(ok.body.expires_in, 86_400);
    assert.match(String(ok.body.scope), /\bread:logs\b/);
    assert.equal(String(ok.body.access_token).split(".").length, 3, "a JWT");
    const form = await postToken(emulator.url, { grant_type: "client_credentials", client_id: emulator.clientId, client_secret: SECRET, audience }, true);
    assert.equal(form.status, 200, "form-encoded bodies are accepted too");

    const wrong = await postToken(emulator.url, { grant_type: "client_credentials", client_id: emulator.clientId, client_secret: "nope", audience });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, { error: "access_denied", error_description: "Unauthorized" });
    const unknown = await postToken(emulator.url, { grant_type: "client_credentials", client_id: "someone-else", client_secret: SECRET, audience });
    assert.equal(unknown.status, 401);
    const grant = await postToken(emulator.url, { grant_type: "password", client_id: emulator.clientId, client_secret: SECRET, audience });
    assert.equal(grant.status, 403);
    assert.equal(grant.body.error, "unauthorized_client");
    const aud = await postToken(emulator.url, { grant_type: "client_credentials", client_id: emulator.clientId, client_secret: SECRET, audience: "https://elsewhere.example/api/v2/" });
    assert.equal(aud.status, 403);
    assert.equal(aud.body.error, "access_denied");
    assert.equal(emulator.stats.tokensIssued, 2);
    assert.equal(emulator.stats.tokensRefused, 4);
  } finally {
    await emulator.close();
  }
});

test("Management API: missing, forged and expired tokens get 401, a token without read:logs gets 403", async () => {
  let now = Date.now();
  const emulator = await startAuth0Emulator({ events: recentEvents(10), clientSecret: SECRET, rate: "off", now: () => now, tokenLifetimeSeconds: 3600 });
  const noScope = await startAuth0Emulator({ events: [], clientSecret: SECRET, rate: "off", scopes: ["read:users"] });
  try {
    const missing = await get(`${emulator.url}/api/v2/logs`);
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.body, { statusCode: 401, error: "Unauthorized", message: "Missing authentication" });
    const forged = await get(`${emulator.url}/api/v2/logs`, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
    assert.equal(forged.status, 401);
    assert.equal((forged.body as { message: string }).message, "Invalid token");
    const bearer = await token(emulator);
    assert.equal((await get(`${emulator.url}/api/v2/logs`, bearer)).status, 200);
    now += 3601_000;
    const expired = await get(`${emulator.url}/api/v2/logs`, bearer);
    assert.equal(expired.status, 401);
    assert.equal((expired.body as { message: string }).message, "Expired token received for JSON Web Token validation");
    const fresh = await token(emulator);
    emulator.revokeTokens();
    assert.equal((await get(`${emulator.url}/api/v2/logs`, fresh)).status, 401, "revoked");
    assert.equal((await get(`${emulator.url}/api/v2/logs`, await token(emulator))).status, 200, "a token issued after revoking works");

    const scoped = await get(`${noScope.url}/api/v2/logs`, await token(noScope));
    assert.equal(scoped.status, 403);
    assert.deepEqual(scoped.body, { statusCode: 403, error: "Forbidden", message: "Insufficient scope, expected any of: read:logs", errorCode: "insufficient_scope" });
  } finally {
    await emulator.close();
    await noScope.close();
  }
});

test("checkpoint mode: entries after `from` in log_id order, take ≤ 100, Link to the next checkpoint, [] with the same Link when caught up", async () => {
  const events = recentEvents(250) as Entry[];
  // Hand the emulator the events shuffled: it must order them by log_id itself.
  const shuffled = [...events].reverse();
  const emulator = await startAuth0Emulator({ events: shuffled, clientSecret: SECRET, rate: "off" });
  try {
    const bearer = await token(emulator);
    const start = events[9]!.log_id;
    const page = await get(`${emulator.url}/api/v2/logs?from=${start}&take=100&q=type:s&per_page=3`, bearer);
    assert.equal(page.status, 200);
    const entries = page.body as Entry[];
    assert.equal(entries.length, 100, "q and per_page are ignored in checkpoint mode");
    assert.deepEqual(entries.map((e) => e.log_id), events.slice(10, 110).map((e) => e.log_id));
    assert.equal(page.headers.get("link"), `<${emulator.url}/api/v2/logs?from=${events[109]!.log_id}&take=100>; rel="next"`);

    const seen: string[] = [];
    let url = `${emulator.url}/api/v2/logs?from=${events[0]!.log_id}&take=100`;
    for (let i = 0; i < 10; i++) {
      const p = await get(url, bearer);
      const list = p.body as Entry[];
      const link = /^<([^>]+)>; rel="next"$/.exec(p.headers.get("link") ?? "");
      assert.ok(link, "every page has a next link");
      if (list.length === 0) {
        assert.equal(link[1], url, "an empty page links to the same URL");
        break;
      }
      seen.push(...list.map((e) => e.log_id));
      url = link[1]!;
    }
    assert.deepEqual(seen, events.slice(1).map((e) => e.log_id));

    const tooMany = await get(`${emulator.url}/api/v2/logs?from=${start}&take=101`, bearer);
    assert.equal(tooMany.status, 400);
    assert.equal((tooMany.body as { errorCode: string }).errorCode, "invalid_query_string");
    assert.match((tooMany.body as { message: string }).message, /take/);
    const defaultTake = await get(`${emulator.url}/api/v2/logs?from=${start}`, bearer);
    assert.equal((defaultTake.body as Entry[]).length, 50);

    const one = await get(`${emulator.url}/api/v2/logs/${events[5]!.log_id}`, bearer);
    assert.equal((one.body as Entry).log_id, events[5]!.log_id);
    assert.equal((await get(`${emulator.url}/api/v2/logs/123`, bearer)).status, 404);
  } finally {
    await emulator.close();
  }
});

test("search mode: q with a date range and fields, sort, include_totals, and the 1,000-result cap", async () => {
  const events = recentEvents(1500, 10) as Entry[];
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off" });
  try {
    const bearer = await token(emulator);
    const since = events[700]!.date;
    const q = encodeURIComponent(`date:[${since} TO *]`);
    const asc = await get(`${emulator.url}/api/v2/logs?q=${q}&sort=date:1&per_page=5&page=0`, bearer);
    assert.deepEqual((asc.body as Entry[]).map((e) => e.log_id), events.slice(700, 705).map((e) => e.log_id));
    const exclusive = await get(`${emulator.url}/api/v2/logs?q=${encodeURIComponent(`date:{${since} TO *]`)}&sort=date:1&per_page=1`, bearer);
    assert.ok((exclusive.body as Entry[])[0]!.date > since);

    const desc = await get(`${emulator.url}/api/v2/logs?per_page=3`, bearer);
    assert.deepEqual((desc.body as Entry[]).map((e) => e.log_id), events.slice(-3).reverse().map((e) => e.log_id), "default sort: newest first");

    const totals = await get(`${emulator.url}/api/v2/logs?q=type:s&include_totals=true&per_page=10&page=1`, bearer);
    const body = totals.body as { start: number; limit: number; length: number; total: number; logs: Entry[] };
    assert.equal(body.total, events.filter((e) => e.type === "s").length);
    assert.equal(body.start, 10);
    assert.equal(body.length, 10);
    assert.ok(body.logs.every((e) => e.type === "s"));

    const fields = await get(`${emulator.url}/api/v2/logs?per_page=2&fields=date,type&include_fields=true`, bearer);
    assert.deepEqual(Object.keys((fields.body as Entry[])[0]!).sort(), ["date", "type"]);

    const lastAllowed = await get(`${emulator.url}/api/v2/logs?per_page=100&page=9`, bearer);
    assert.equal(lastAllowed.status, 200);
    assert.equal((lastAllowed.body as Entry[]).length, 100);
    const capped = await get(`${emulator.url}/api/v2/logs?per_page=100&page=10`, bearer);
    assert.equal(capped.status, 400);
    assert.match((capped.body as { message: string }).message, /first 1000 records/);
    const perPage = await get(`${emulator.url}/api/v2/logs?per_page=101`, bearer);
    assert.equal(perPage.status, 400);
    const badQuery = await get(`${emulator.url}/api/v2/logs?q=${encodeURIComponent("date:[2026-01-01 TO")}`, bearer);
    assert.equal(badQuery.status, 400);
    assert.equal((badQuery.body as { errorCode: string }).errorCode, "invalid_query_string");
    const badSort = await get(`${emulator.url}/api/v2/logs?sort=secret:1`, bearer);
    assert.equal(badSort.status, 400);
  } finally {
    await emulator.close();
  }
});

test("query syntax: fields, wildcards, ranges, AND/OR/NOT, nested fields and bare terms", () => {
  const e = { type: "sapi", user_name: "ann@example.com", date: "2026-10-05T10:00:00.000Z", details: { request: { path: "/api/v2/jobs/users-exports" } }, ip: "203.0.113.5" };
  const yes = (q: string) => assert.equal(parseLogQuery(q)(e), true, q);
  const no = (q: string) => assert.equal(parseLogQuery(q)(e), false, q);
  yes("type:sapi");
  no("type:s");
  yes("user_name:ann*");
  yes('user_name:"ann@example.com"');
  yes("date:[2026-10-01 TO *]");
  yes("date:[2026-10-05T10:00:00.000Z TO 2026-10-05T10:00:00.000Z]");
  no("date:{2026-10-05T10:00:00.000Z TO *]");
  no("date:[2026-10-06 TO *]");
  yes("type:sapi AND date:[2026-10-01 TO 2026-10-31]");
  yes("type:s OR type:sapi");
  yes("NOT type:s");
  no("-type:sapi");
  yes("type:sapi -type:s");
  yes("(type:s OR type:sapi) AND ip:203.0.113.*");
  yes("details.request.path:*users-exports");
  yes("sapi");
  no("nothing-matches-this");
  assert.throws(() => parseLogQuery("date:[2026-10-01 TO"), /range/);
  assert.throws(() => parseLogQuery("(type:s"), /\)/);
});

test("retention: entries older than the plan keeps, relative to the emulator's clock, are gone; entries dated after 'now' do not exist yet", async () => {
  const base = Date.parse("2026-11-20T00:00:00Z");
  const events: Entry[] = [];
  for (let day = 0; day < 20; day++) {
    events.push({ date: new Date(base - day * DAY_MS).toISOString(), type: "s", description: "", log_id: `9002026${String(100 - day).padStart(49, "0")}` });
  }
  events.reverse();
  let now = base;
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off", retentionDays: 5, now: () => now });
  try {
    let bearer = await token(emulator);
    const all = async () => (await get(`${emulator.url}/api/v2/logs?per_page=100&sort=date:1`, bearer)).body as Entry[];
    let list = await all();
    assert.equal(list.length, 6, "today and the five days before");
    assert.equal(list[0]!.date, new Date(base - 5 * DAY_MS).toISOString());
    // A checkpoint from an id that has aged out still reads what remains after it.
    const fromOld = (await get(`${emulator.url}/api/v2/logs?from=${events[0]!.log_id}&take=100`, bearer)).body as Entry[];
    assert.equal(fromOld.length, 6);
    assert.equal((await get(`${emulator.url}/api/v2/logs/${events[0]!.log_id}`, bearer)).status, 404);
    now += 2 * DAY_MS;
    bearer = await token(emulator); // the first one expired a day later
    list = await all();
    assert.equal(list.length, 4);
    // Moving the clock back hides the newest entries: they have not happened yet.
    now = base - 10 * DAY_MS + 1000;
    bearer = await token(emulator);
    list = await all();
    assert.equal(list[list.length - 1]!.date, new Date(base - 10 * DAY_MS).toISOString());
  } finally {
    await emulator.close();
  }
});

test("rate limit: the configured requests per second, then 429 with Auth0's body and X-RateLimit headers", async () => {
  const emulator = await startAuth0Emulator({ events: recentEvents(5), clientSecret: SECRET, rate: 2 });
  try {
    const bearer = await token(emulator);
    // Start at the beginning of a second so that the three requests share one window.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await get(`${emulator.url}/api/v2/logs?per_page=1`, bearer));
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 429]);
    assert.deepEqual(answers.map((a) => a.headers.get("x-ratelimit-remaining")), ["1", "0", "0"]);
    const third = answers[2]!;
    assert.equal(third.headers.get("x-ratelimit-limit"), "2");
    const reset = Number(third.headers.get("x-ratelimit-reset"));
    assert.ok(reset * 1000 > Date.now() - 1000 && reset * 1000 <= Date.now() + 1000, "reset is the next second, in epoch seconds");
    assert.deepEqual(third.body, { statusCode: 429, error: "Too Many Requests", message: "Global limit has been reached", errorCode: "too_many_requests" });
    await new Promise((r) => setTimeout(r, reset * 1000 - Date.now() + 5));
    assert.equal((await get(`${emulator.url}/api/v2/logs?per_page=1`, bearer)).status, 200, "allowed again after the reset");
  } finally {
    await emulator.close();
  }
});

test("fault switches: a run of 429s, every k-th 429 with Retry-After, 500s, a body cut short, a slow answer", async () => {
  const events = recentEvents(30) as Entry[];
  const emulator = await startAuth0Emulator({ events, clientSecret: SECRET, rate: "off" });
  try {
    const bearer = await token(emulator);
    const url = `${emulator.url}/api/v2/logs?from=${events[0]!.log_id}&take=10`;
    emulator.faults.rateLimitNext = 2;
    emulator.faults.retryAfterSeconds = 3;
    const a = await get(url, bearer);
    const b = await get(url, bearer);
    assert.deepEqual([a.status, b.status], [429, 429]);
    assert.equal(a.headers.get("retry-after"), "3");
    assert.equal(a.headers.get("x-ratelimit-remaining"), "0");
    assert.equal((await get(url, bearer)).status, 200);
    emulator.faults.retryAfterSeconds = null;

    emulator.faults.rateLimitEvery = 3;
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(url, bearer)).status);
    assert.equal(statuses.filter((s) => s === 429).length, 2);
    emulator.faults.rateLimitEvery = 0;

    emulator.faults.serverErrorNext = 1;
    const five = await get(url, bearer);
    assert.equal(five.status, 500);
    assert.equal((five.body as { statusCode: number }).statusCode, 500);

    emulator.faults.dropNext = 1;
    await assert.rejects(async () => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
      await res.text();
    });
    assert.equal(emulator.stats.dropped, 1);
    assert.equal((await get(url, bearer)).status, 200, "only the next answer was cut");

    emulator.faults.slowMs = 150;
    const started = Date.now();
    assert.equal((await get(url, bearer)).status, 200);
    assert.ok(Date.now() - started >= 140, "the answer waited");
    emulator.faults.slowMs = 0;

    emulator.faults.tokenErrorNext = 1;
    const res = await fetch(`${emulator.url}/oauth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(res.status, 500);
  } finally {
    await emulator.close();
  }
});

test("serveAuth0 (kansa emulate auth0 without --data): generated events up to today, a printed secret that works, stops on abort", async () => {
  const lines: string[] = [];
  const controller = new AbortController();
  let announced: () => void = () => {};
  const ready = new Promise<void>((resolve) => (announced = resolve));
  const served = serveAuth0({
    data: [], port: 0, host: "127.0.0.1", clientId: undefined, clientSecret: undefined, retentionDays: 30, rate: "off",
    tokenLifetimeSeconds: 86_400, days: 3, perDay: 50, seed: 1, timezone: "UTC", json: true, signal: controller.signal,
    print: (line) => {
      lines.push(line);
      announced();
    },
  });
  await ready;
  const info = JSON.parse(lines[0]!) as { url: string; clientId: string; clientSecret: string; events: number };
  assert.equal(info.events, 150);
  assert.equal(info.clientId, "kansa-demo");
  assert.ok(info.clientSecret.length >= 16, "a generated secret is printed");
  const res = await fetch(`${info.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials", client_id: info.clientId, client_secret: info.clientSecret, audience: `${info.url}/api/v2/` }),
  });
  const { access_token } = (await res.json()) as { access_token: string };
  const list = (await get(`${info.url}/api/v2/logs?per_page=100&include_totals=true`, access_token)).body as { total: number; logs: Entry[] };
  assert.ok(list.total > 0 && list.total <= 150, "today's later entries have not happened yet");
  assert.ok(list.logs.every((e) => Date.parse(e.date) <= Date.now()));
  controller.abort();
  assert.equal(await served, 0);
});
