import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startRun, finishRun } from "../../src/store/runs.ts";
import type { Database } from "../../src/store/database.ts";
import { openTestPglite } from "../helpers/pglite.ts";

let db: Database;
before(async () => {
  db = await openTestPglite();
});
after(async () => {
  await db?.close();
});

const statusOf = async (id: number) => (await db.prisma.run.findUniqueOrThrow({ where: { id } })).status;

test("runs left running by a process that is gone are marked interrupted; live ones are left alone", async () => {
  const beforeThisProcess = new Date(Date.now() - process.uptime() * 1000 - 60_000);
  const killedImport = (await db.prisma.run.create({ data: { kind: "import", status: "running", startedAt: beforeThisProcess } })).id;
  const finished = (await db.prisma.run.create({ data: { kind: "import", status: "running", startedAt: beforeThisProcess } })).id;
  await finishRun(db, finished, "ok", {});
  const liveImport = await startRun(db, "import"); // started by this process: may still be going
  assert.equal(await statusOf(killedImport), "interrupted");
  assert.match(JSON.stringify((await db.prisma.run.findUniqueOrThrow({ where: { id: killedImport } })).errors), /ended before this run finished/);
  assert.equal(await statusOf(finished), "ok");

  // Another command on the embedded database does not touch a run of this process.
  const collect = await startRun(db, "collect");
  assert.equal(await statusOf(liveImport), "running");
  assert.equal(await statusOf(collect), "running");

  // The daily job holds the run lock: an earlier "run" still running cannot be alive, whenever it started.
  const earlierRun = await startRun(db, "run", "2026-11-21");
  const killedCollect = (await db.prisma.run.create({ data: { kind: "collect", status: "running", startedAt: beforeThisProcess } })).id;
  const nextRun = await startRun(db, "run", "2026-11-22", { exclusive: true });
  assert.equal(await statusOf(earlierRun), "interrupted");
  assert.equal(await statusOf(killedCollect), "interrupted"); // the embedded database's rule applies too
  assert.equal(await statusOf(nextRun), "running");
  assert.equal(await statusOf(liveImport), "running");
});
