/**
 * Issue 21, point 10: a server that keeps failing is retried out loud and for a bounded time.
 * Against a local server that always answers 500 (or never answers), every retry is one warn
 * line at the default log level naming the host, the step, what failed and when the next try
 * comes; the client gives up once its next try would begin later than maxRetryWaitMs
 * (AUTH0_MAX_RETRY_WAIT_SECONDS) after the first failure, with an error naming the host, the
 * step, the last status and the limit. A 429 whose Retry-After fits is still waited out.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { loadConfig } from "../../src/sources/config.ts";
import { createLogger, type Logger } from "../../src/core/logger.ts";
import { Auth0Client, type Auth0ClientOptions } from "../../src/sources/auth0/index.ts";
import { backoffRetriesWithin, describeWait, minBackoffMs } from "../../src/core/retry.ts";
import { SECRET, rejection } from "./helpers.ts";

interface Served {
  url: string;
  host: string;
  requests: { method: string; path: string; at: number }[];
  close(): Promise<void>;
}

/** A local server on port 0 answering every request with `handler`; it keeps what it was asked. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<Served> {
  const requests: Served["requests"] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", path: req.url ?? "", at: Date.now() });
    req.resume();
    req.on("end", () => handler(req, res, requests.length));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function always500(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(500, { "content-type": "application/json" });
  res.end(JSON.stringify({ statusCode: 500, error: "Internal Server Error", message: "boom" }));
}

/** kansa's own logger at the default LOG_LEVEL, writing JSON lines into `lines`. */
function defaultLevelLogger(): { log: Logger; lines: () => Record<string, unknown>[]; raw: string[] } {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(chunk.toString("utf8"));
      done();
    },
  });
  const log = createLogger(loadConfig({}).logLevel, { pretty: false, destination }).child({ source: "auth0" });
  const lines = () => raw.join("").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, lines, raw };
}

function clientFor(url: string, log: Logger, overrides: Partial<Auth0ClientOptions> = {}): Auth0Client {
  return new Auth0Client({
    domain: url, clientId: "kansa-test-client", clientSecret: SECRET, retryBudget: 60,
    minRetryDelayMs: 20, maxRetryDelayMs: 400, requestTimeoutMs: 2_000, log, ...overrides,
  });
}

const RETRY_LINE = /^Auth0 (\S+): (.+): (.+); retry (\d+) of at most (\d+) in (\d+(?:\.\d)? (?:ms|s))$/;

test("the default log level is one that shows warnings (retry lines are warnings)", () => {
  assert.ok(["trace", "debug", "info", "warn"].includes(loadConfig({}).logLevel));
});

test("a server that always answers 500: each retry is one warn line at the default level, and the client gives up within maxRetryWaitMs, not the budget", async () => {
  const server = await serve(always500);
  const { log, lines, raw } = defaultLevelLogger();
  try {
    const client = clientFor(server.url, log, { maxRetryWaitMs: 1_500 });
    const started = Date.now();
    const error = await rejection(client.fetchLogs(client.checkpointUrl("42"), "checkpoint page after log_id 42"));
    const elapsed = Date.now() - started;

    // Bounded: the cap (plus one last request), far below what a budget of 60 would allow (60 × up to 400 ms).
    assert.ok(elapsed < 1_500 + 1_000, `gave up after ${elapsed} ms`);
    assert.ok(client.retriesLeft > 0, "the cap, not the budget, ended it");
    assert.equal(error.code, "E_AUTH0_GAVE_UP");
    assert.ok(error.message.includes(server.host), error.message);
    assert.match(error.message, /token request \(for checkpoint page after log_id 42\)/);
    assert.match(error.message, /last status: HTTP 500/);
    assert.match(error.message, /AUTH0_MAX_RETRY_WAIT_SECONDS=1\.5 reached/);
    assert.equal(error.details.status, 500);

    const retries = lines().filter((l) => l.level === 40);
    assert.equal(retries.length, client.retries, "one line per retry");
    assert.equal(retries.length, server.requests.length - 1, "one line per failed request but the last");
    assert.ok(retries.length >= 4, `retries: ${retries.length}`);
    assert.match(error.message, new RegExp(`after ${retries.length} retries`));
    const firstBound = Number(RETRY_LINE.exec(String(retries[0]!.msg))?.[5]);
    retries.forEach((line, i) => {
      const m = RETRY_LINE.exec(String(line.msg));
      assert.ok(m, `a one-sentence retry line: ${String(line.msg)}`);
      assert.equal(m[1], server.host);
      assert.equal(m[2], "token request (for checkpoint page after log_id 42)");
      assert.equal(m[3], "HTTP 500 Internal Server Error");
      assert.equal(Number(m[4]), i + 1);
      assert.ok(Number(m[5]) >= retries.length, `"at most ${m[5]}" is an upper bound of the ${retries.length} retries made`);
      assert.ok(Number(m[5]) <= firstBound, "the bound never grows");
      assert.equal(line.source, "auth0");
      assert.equal(line.status, 500);
      assert.equal(m[6], describeWait(Number(line.waitMs)));
    });
    // The waits double (with jitter) from minRetryDelayMs: the requests are spaced accordingly.
    for (let i = 1; i < server.requests.length; i++) {
      const gap = server.requests[i]!.at - server.requests[i - 1]!.at;
      assert.ok(gap >= minBackoffMs(i, 20, 400) - 5, `gap ${i}: ${gap} ms`);
    }
    const text = raw.join("");
    assert.ok(!text.includes(SECRET) && !error.message.includes(SECRET), "no secret");
    assert.ok(!text.includes("take=") && !text.includes("?from="), "no request URL with its query");
  } finally {
    await server.close();
  }
});

test("the give-up error of a pull on a server that stops answering names the timeout; each retry line says timeout", async () => {
  const server = await serve(() => undefined); // never answers
  const { log, lines } = defaultLevelLogger();
  try {
    const client = clientFor(server.url, log, { requestTimeoutMs: 150, maxRetryWaitMs: 600 });
    const started = Date.now();
    const error = await rejection(client.searchLogs({ q: "type:s" }, "log search"));
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 150 + 600 + 150 + 500, `gave up after ${elapsed} ms`);
    assert.equal(error.code, "E_AUTH0_GAVE_UP");
    assert.match(error.message, /last status: no answer \(timeout\)/);
    const retries = lines().filter((l) => l.level === 40);
    assert.ok(retries.length >= 2, `retries: ${retries.length}`);
    for (const line of retries) assert.match(String(line.msg), new RegExp(`^Auth0 ${server.host.replace(/\./g, "\\.")}: token request \\(for log search\\): timeout \\(no complete answer within 150 ms\\); retry \\d+ of at most \\d+ in `));
  } finally {
    await server.close();
  }
});

test("a 429 whose Retry-After fits in the cap is waited out as told; one beyond the cap gives up at once, saying so", async () => {
  let refuse = 2;
  let retryAfter = "1";
  const server = await serve((req, res) => {
    if (req.url?.startsWith("/oauth/token")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: "tok-123", expires_in: 86_400 }));
    } else if (refuse > 0) {
      refuse -= 1;
      res.writeHead(429, { "content-type": "application/json", "retry-after": retryAfter });
      res.end(JSON.stringify({ statusCode: 429, error: "Too Many Requests", message: "Global limit has been reached" }));
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("[]");
    }
  });
  const { log, lines } = defaultLevelLogger();
  try {
    const client = clientFor(server.url, log, { maxRetryDelayMs: 5_000, maxRetryWaitMs: 3_000 });
    const started = Date.now();
    const page = await client.fetchLogs(client.checkpointUrl("42"), "checkpoint page after log_id 42");
    assert.deepEqual(page.entries, []);
    assert.ok(Date.now() - started >= 1_950, "two Retry-After: 1 waited out");
    const said = lines().filter((l) => l.level === 40).map((l) => String(l.msg));
    assert.deepEqual(said.map((m) => m.replace(/at most \d+/, "at most N")), [
      `Auth0 ${server.host}: checkpoint page after log_id 42: HTTP 429 Too Many Requests; retry 1 of at most N in 1 s`,
      `Auth0 ${server.host}: checkpoint page after log_id 42: HTTP 429 Too Many Requests; retry 2 of at most N in 1 s`,
    ]);

    refuse = 1;
    retryAfter = "4"; // within maxRetryDelayMs, beyond the 3 s cap
    const before = Date.now();
    const error = await rejection(client.fetchLogs(client.checkpointUrl("42"), "checkpoint page after log_id 42"));
    assert.ok(Date.now() - before < 1_000, "no wait that could not end in an answer");
    assert.match(error.message, /after 0 retries/);
    assert.match(error.message, /the server asked to wait 4 s/);
    assert.match(error.message, /last status: HTTP 429/);
  } finally {
    await server.close();
  }
});

test("the 'at most' bound: backoff retries that can still begin within the time left", () => {
  assert.equal(minBackoffMs(1, 1_000, 60_000), 750);
  assert.equal(minBackoffMs(8, 1_000, 60_000), 45_000);
  // 750 + 1500 + 3000 + 6000 + 12000 + 24000 = 47,250; + 45,000 = 92,250; + 45,000 = 137,250.
  assert.equal(backoffRetriesWithin(150_000, 1, 1_000, 60_000, 60), 8);
  assert.equal(backoffRetriesWithin(150_000, 1, 1_000, 60_000, 3), 3, "never beyond the budget");
  assert.equal(backoffRetriesWithin(500, 1, 1_000, 60_000, 60), 0);
  assert.equal(backoffRetriesWithin(10, 1, 0, 0, 7), 7, "waits of zero: only the budget bounds them");
  assert.deepEqual([350, 1_500, 8_000, 36_000, 150_000].map(describeWait), ["350 ms", "1.5 s", "8 s", "36 s", "2 min 30 s"]);
});
