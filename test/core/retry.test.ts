import { test } from "node:test";
import assert from "node:assert/strict";
import { withRetries, type GiveUpEvent, type RetryDecision } from "../../src/core/retry.ts";

class Flaky extends Error {}
class Fatal extends Error {}
class Session extends Error {}

/** A work function that fails with `errors` in turn, then answers "ok"; it counts its calls. */
function failing(...errors: Error[]) {
  const state = { calls: 0, work: async () => {
    const error = errors[state.calls++];
    if (error) throw error;
    return "ok";
  } };
  return state;
}

const byClass = (error: unknown): RetryDecision =>
  error instanceof Flaky ? { action: "retry with backoff" } : error instanceof Session ? { action: "retry after", waitMs: 0, counted: false } : { action: "fail now" };

test("a retryable failure is retried until the work succeeds, each retry told with its number", async () => {
  const work = failing(new Flaky("a"), new Flaky("b"));
  const told: number[] = [];
  assert.equal(await withRetries(work.work, { classify: byClass, retries: 2, onRetry: (e) => told.push(e.retry) }), "ok");
  assert.equal(work.calls, 3);
  assert.deepEqual(told, [1, 2]);
});

test("'fail now' throws at once (the failure itself, or the error the classifier gives)", async () => {
  const work = failing(new Fatal("refused"));
  await assert.rejects(withRetries(work.work, { classify: byClass, retries: 5 }), /refused/);
  assert.equal(work.calls, 1);
  const replaced = new Error("in its place");
  await assert.rejects(withRetries(failing(new Fatal("x")).work, { classify: () => ({ action: "fail now", error: replaced }), retries: 5 }), (e) => e === replaced);
});

test("the retry limit stops retries; onGiveUp makes the error and learns which limit", async () => {
  const work = failing(new Flaky("1"), new Flaky("2"), new Flaky("3"));
  let gaveUp: GiveUpEvent | undefined;
  await assert.rejects(
    withRetries(work.work, { classify: byClass, retries: 2, onGiveUp: (e) => ((gaveUp = e), new Error(`gave up after ${e.retries}`)) }),
    /gave up after 2/,
  );
  assert.equal(work.calls, 3);
  assert.equal(gaveUp?.limit, "retries");
  assert.equal((gaveUp?.error as Error).message, "3");
});

test("an uncounted retry (a new session) does not use up the retry limit", async () => {
  const work = failing(new Session(), new Session(), new Session(), new Flaky(), new Session());
  assert.equal(await withRetries(work.work, { classify: byClass, retries: 1 }), "ok");
  assert.equal(work.calls, 6);
});

test("a wait the server asks for is capped by maxDelayMs; one beyond maxElapsedMs gives up on time", async () => {
  const serverAsks = (): RetryDecision => ({ action: "retry after", waitMs: 5_000 });
  const waits: number[] = [];
  assert.equal(await withRetries(failing(new Flaky(), new Flaky()).work, { classify: serverAsks, retries: 10, maxDelayMs: 0, onRetry: (e) => waits.push(e.waitMs) }), "ok");
  assert.deepEqual(waits, [0, 0]);
  let gaveUp: GiveUpEvent | undefined;
  await assert.rejects(
    withRetries(failing(new Flaky()).work, { classify: serverAsks, retries: 10, maxDelayMs: 60_000, maxElapsedMs: 4_000, onGiveUp: (e) => ((gaveUp = e), new Error("time")) }),
    /time/,
  );
  assert.deepEqual([gaveUp?.limit, gaveUp?.retries, gaveUp?.waitMs], ["time", 0, 5_000]);
});

test("an aborted signal ends the retries with its reason", async () => {
  const controller = new AbortController();
  const reason = new Error("stopped");
  const work = async () => {
    controller.abort(reason);
    throw new Flaky();
  };
  await assert.rejects(withRetries(work, { classify: byClass, retries: 5, signal: controller.signal }), (e) => e === reason);
});
