/**
 * The worker: its schedule with a fixed clock (Tokyo, and New York across both DST changes), an
 * invalid CRON_SCHEDULE refused with a sentence, never two runs at once, `stop()` waiting for
 * the run under way, and the real `kansa worker --run-now --no-mail` process: it runs the daily
 * job on an imported sample, logs its next run, and exits 0 on SIGTERM.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { startWorker, upcomingRuns, validateSchedule } from "../../src/schedule/worker.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { loadConfig } from "../../src/sources/config.ts";
import { generateDataset, writeSample } from "../../src/tools/generator/index.ts";
import { addDays, childEnv, kansa, todayIn, withStore, ZONE } from "./helpers.ts";

/** A logger whose JSON lines are kept, to assert on what the worker says. */
function capturingLogger(): { log: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: "info", base: undefined }, stream), lines };
}

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

test("upcomingRuns: 0 7 * * * in Asia/Tokyo is 22:00 UTC the evening before, from a fixed clock", () => {
  assert.deepEqual(iso(upcomingRuns("0 7 * * *", "Asia/Tokyo", new Date("2026-11-23T08:00:00Z"), 3)), [
    "2026-11-23T22:00:00.000Z",
    "2026-11-24T22:00:00.000Z",
    "2026-11-25T22:00:00.000Z",
  ]);
  // A run due exactly at the reference time counts; one a minute before it does not.
  assert.deepEqual(iso(upcomingRuns("0 7 * * *", "Asia/Tokyo", new Date("2026-11-22T22:00:00Z"), 1)), ["2026-11-22T22:00:00.000Z"]);
  assert.deepEqual(iso(upcomingRuns("0 7 * * *", "Asia/Tokyo", new Date("2026-11-22T22:00:01Z"), 1)), ["2026-11-23T22:00:00.000Z"]);
  // Weekdays only, in Tokyo's calendar: from Friday 2026-11-27 08:00 JST, the next are Monday and Tuesday.
  const weekdays = upcomingRuns("0 7 * * 1-5", "Asia/Tokyo", new Date("2026-11-26T23:00:00Z"), 2);
  assert.deepEqual(iso(weekdays), ["2026-11-29T22:00:00.000Z", "2026-11-30T22:00:00.000Z"], "Monday 30 Nov and Tuesday 1 Dec, 07:00 JST (Saturday and Sunday skipped)");
});

test("upcomingRuns: 07:00 in America/New_York stays 07:00 local across both DST changes", () => {
  // Clocks go back on Sunday 1 November 2026: 07:00 EDT = 11:00Z, then 07:00 EST = 12:00Z.
  assert.deepEqual(iso(upcomingRuns("0 7 * * *", "America/New_York", new Date("2026-10-30T12:00:00Z"), 3)), [
    "2026-10-31T11:00:00.000Z",
    "2026-11-01T12:00:00.000Z",
    "2026-11-02T12:00:00.000Z",
  ]);
  // Clocks go forward on Sunday 8 March 2026: 12:00Z (EST), then 11:00Z (EDT).
  assert.deepEqual(iso(upcomingRuns("0 7 * * *", "America/New_York", new Date("2026-03-06T12:00:01Z"), 3)), [
    "2026-03-07T12:00:00.000Z",
    "2026-03-08T11:00:00.000Z",
    "2026-03-09T11:00:00.000Z",
  ]);
  // Runs are 23 and 25 hours apart on the days of the change, never twice or never in a day.
  const fall = upcomingRuns("0 7 * * *", "America/New_York", new Date("2026-10-25T00:00:00Z"), 14);
  const gaps = fall.slice(1).map((d, i) => (d.getTime() - fall[i]!.getTime()) / 3_600_000);
  assert.deepEqual([...new Set(gaps)].sort(), [24, 25]);
});

test("an invalid CRON_SCHEDULE is refused with a sentence naming the variable", () => {
  for (const bad of ["every morning", "61 7 * * *", "0 7 * *", ""]) {
    assert.throws(() => validateSchedule(bad), (error: unknown) => {
      assert.ok(error instanceof ConfigError, `a ConfigError for "${bad}"`);
      assert.match((error as Error).message, /CRON_SCHEDULE/);
      assert.ok((error as Error).message.includes(`"${bad}"`), (error as Error).message);
      return true;
    });
    assert.throws(() => startWorker({ schedule: bad, timezone: ZONE, job: async () => undefined, log: pino({ level: "silent" }) }), /CRON_SCHEDULE/);
  }
  assert.doesNotThrow(() => validateSchedule(loadConfig({}).cronSchedule), "the default schedule is valid");
});

test("startWorker: never two runs at once, and stop() waits for the run under way", async () => {
  const { log, lines } = capturingLogger();
  let started = 0;
  let finished = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const worker = startWorker({
    schedule: "0 7 1 1 *",
    timezone: ZONE,
    log,
    job: async () => {
      started++;
      await gate;
      finished++;
    },
  });
  try {
    const started0 = lines.find((l) => l.msg === "worker started");
    assert.ok(started0, "the worker logs that it started");
    const next = worker.nextRun();
    assert.ok(next, "a next run is known");
    assert.equal(started0.next, next.toISOString(), "the start line names the next run");
    assert.deepEqual([next.toISOString()], iso(upcomingRuns("0 7 1 1 *", ZONE, new Date(), 1)), "the next run is 1 January 07:00 Tokyo");

    const first = worker.runNow();
    assert.equal(worker.running, true);
    assert.equal(started, 1);
    await worker.runNow(); // returns at once: skipped
    assert.equal(started, 1, "a second run while one is going is skipped");
    assert.ok(lines.some((l) => l.level === 40 && /still going/.test(String(l.msg))), "the skip is logged as a warning");

    let stopped = false;
    const stopping = worker.stop(10_000).then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(stopped, false, "stop() waits for the run under way");
    assert.equal(finished, 0);
    await worker.runNow();
    assert.equal(started, 1, "no run starts once stopping");
    release();
    await stopping;
    await first;
    assert.equal(finished, 1, "the run under way finished before stop() returned");
    assert.equal(worker.running, false);
    assert.ok(lines.some((l) => l.msg === "worker stopped"));
    await worker.runNow();
    assert.equal(started, 1, "no run after stop()");
  } finally {
    release();
    await worker.stop(1000);
  }
});

test("startWorker: a failing job is logged, not thrown, and the worker goes on; stop() gives up after its timeout", async () => {
  const { log, lines } = capturingLogger();
  let calls = 0;
  const worker = startWorker({
    schedule: "0 7 * * *",
    timezone: ZONE,
    log,
    job: async () => {
      calls++;
      if (calls === 1) throw new Error("the source is down");
      await new Promise(() => undefined); // never ends
    },
  });
  await worker.runNow();
  const failed = lines.find((l) => l.msg === "scheduled run failed");
  assert.ok(failed, "the failure is logged");
  assert.match(String(failed.err), /the source is down/);
  assert.ok(lines.some((l) => l.msg === "next run" && typeof l.next === "string"), "the next run is logged after a run");
  void worker.runNow();
  assert.equal(worker.running, true, "a new run starts after a failed one");
  const t0 = Date.now();
  await worker.stop(300);
  assert.ok(Date.now() - t0 < 5000, "stop() does not wait past its timeout");
});

// The real process: `kansa worker --run-now --no-mail` on an embedded database with a small sample.
let dir: string;
let dataDir: string;
let yesterdayEvents = 0;
const today = todayIn(ZONE);
const yesterday = addDays(today, -1);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "kansa-worker-"));
  dataDir = join(dir, "data");
  const dataset = generateDataset({ seed: 11, people: 12, from: addDays(today, -3), to: yesterday, timezone: ZONE, consolePerDay: 60, auth0PerDay: 10 });
  const sample = await writeSample(join(dir, "sample"), { dataset, lang: "ja" });
  yesterdayEvents = dataset.consoleRows.filter((r) => r.cells.Date.startsWith(yesterday)).length;
  const imported = await kansa(["import", ...sample.consoleFiles, ...sample.auth0Files], childEnv({ KANSA_DATA_DIR: dataDir, KINTONE_TENANT: "worker.cybozu.com" }));
  assert.equal(imported.code, 0, imported.stderr);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("kansa worker --run-now --no-mail runs the daily job, logs the next run, and on a SIGTERM during the run waits for it and exits 0", async () => {
  const env = childEnv({ KANSA_DATA_DIR: dataDir, LOG_LEVEL: "info", CRON_SCHEDULE: "0 7 1 1 *" });
  let stderr = "";
  let signalledAt = 0;
  let exitedAt = 0;
  const ran = await kansa(["worker", "--run-now", "--no-mail"], env, (child) => {
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      // SIGTERM as soon as the first run starts: the worker must let it finish (up to its 25 s).
      if (!signalledAt && /"msg":"scheduled run starting"/.test(stderr)) {
        signalledAt = Date.now();
        child.kill("SIGTERM");
      }
    });
    child.on("exit", () => (exitedAt = Date.now()));
    setTimeout(() => {
      if (!signalledAt) child.kill("SIGKILL");
    }, 300_000).unref();
  });
  assert.ok(signalledAt > 0, `the run started before the test gave up: ${stderr.slice(-2000)}`);
  assert.equal(ran.signal, null, `exited by itself on SIGTERM, not by the signal's default action: ${stderr.slice(-2000)}`);
  assert.equal(ran.code, 0, ran.stderr.slice(-2000));
  const stoppedAfter = exitedAt - signalledAt;
  assert.ok(stoppedAfter < 30_000, `within Heroku's 30 s (${stoppedAfter} ms)`);
  const lines = stderr.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
  const msgs = lines.map((l) => l.msg);
  const startLine = lines.find((l) => l.msg === "worker started");
  assert.ok(startLine, stderr.slice(-2000));
  assert.equal(startLine.schedule, "0 7 1 1 *");
  assert.equal(startLine.timezone, ZONE);
  assert.equal(startLine.next, upcomingRuns("0 7 1 1 *", ZONE, new Date(), 1)[0]!.toISOString(), "the next run is logged");
  assert.ok(msgs.includes("waiting for the run under way before stopping"), msgs.join(" | "));
  assert.ok(msgs.includes("worker stopped"), msgs.join(" | "));
  assert.ok(lines.every((l) => typeof l.runId === "string"), "every line carries the run id");

  const runs = await withStore({ dataDir }, (db) => db.prisma.run.findMany({ where: { kind: "run" } }));
  assert.equal(runs.length, 1, "one daily job ran");
  const run = runs[0]!;
  assert.equal(run.day, yesterday);
  if (msgs.indexOf("scheduled run finished") >= 0) {
    assert.ok(msgs.indexOf("scheduled run finished") < msgs.indexOf("worker stopped"), "the run finished before the worker stopped");
    assert.equal(run.status, "ok", JSON.stringify(run.errors));
    assert.ok(run.finishedAt, "the run was recorded as finished");
    const stats = run.stats as { events?: number; mailed?: boolean };
    assert.ok(yesterdayEvents > 0);
    assert.ok((stats.events ?? 0) >= yesterdayEvents, `the day's events were reported: ${stats.events} (console rows that day: ${yesterdayEvents})`);
    assert.equal(stats.mailed, false);
  } else {
    // A run longer than the 25 s the worker allows is left behind (this machine was too busy).
    assert.ok(stoppedAfter >= 24_000, `the worker stopped early without the run finishing (${stoppedAfter} ms)`);
    assert.equal(run.status, "running");
  }
});

test("kansa worker with an invalid CRON_SCHEDULE exits non-zero with a sentence naming it", async () => {
  const ran = await kansa(["worker"], childEnv({ KANSA_DATA_DIR: join(dir, "bad"), CRON_SCHEDULE: "at seven" }));
  assert.notEqual(ran.code, 0);
  assert.match(ran.stderr, /CRON_SCHEDULE must be a cron expression/);
  assert.match(ran.stderr, /"at seven"/);
});

