/**
 * The job queue's own rules on a real PostgreSQL, in process (the kill test, queue-workers.test.ts,
 * runs real workers): a day queued twice is queued once; the report is queued when the last of its
 * organisation's collections ends, also when a collection fails; a collection that cannot run
 * three times (here: its instance stays locked by "another worker") is recorded as lost, and the
 * report still goes out saying so, with the run and `enqueue --wait`'s progress failed.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type PgBoss from "pg-boss";
import { silentLogger } from "../../src/core/logger.ts";
import { clearSecrets } from "../../src/core/secrets.ts";
import { loadOrganisations, type Organisation } from "../../src/sources/organisations.ts";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { migrateDatabase } from "../../src/store/migrate.ts";
import { dayProgress, enqueueDay, openQueue, workQueue, type DayProgress, type QueuedDay } from "../../src/schedule/job-queue.ts";
import { startPostgres, postgresTestSkip, type TestPostgres } from "../helpers/postgres.ts";
import { waitFor } from "./helpers.ts";

const skip = postgresTestSkip();
const TODAY = "2026-11-18";

/** Two organisations whose Auth0 tenants answer nowhere (a closed port): each collection ends with an error at once. */
function organisations(): Organisation[] {
  const auth0 = (tenant: string) => ({ type: "auth0", tenant, domain: "http://127.0.0.1:9", clientId: "c", clientSecretEnv: "QUEUE_TEST_SECRET" });
  const config = {
    organisations: [
      { name: "acme", timezone: "Asia/Tokyo", sources: [auth0("acme-prod"), auth0("acme-dev")] },
      { name: "birch", timezone: "Asia/Tokyo", sources: [auth0("birch-prod")] },
      { name: "cedar", timezone: "Asia/Tokyo", sources: [] },
    ],
  };
  return loadOrganisations({ KANSA_CONFIG: JSON.stringify(config), QUEUE_TEST_SECRET: "queue-secret-8Hq2", AUTH0_MAX_RETRY_WAIT_SECONDS: "0", AUTH0_RETRY_BUDGET: "0" });
}

let server: TestPostgres | null = null;
let db: Database;
let boss: PgBoss;
let stopWork: (() => Promise<void>) | null = null;

before(async () => {
  if (skip) return;
  server = await startPostgres();
  const url = await server!.createDatabase();
  db = await openDatabase({ databaseUrl: url, dataDir: "" });
  await migrateDatabase(db);
  boss = await openQueue(url, { expireSeconds: 30, log: silentLogger });
});
after(async () => {
  await stopWork?.();
  await boss?.stop({ graceful: false, wait: true }).catch(() => undefined);
  await db?.close();
  await server?.stop();
  clearSecrets();
});

async function settled(queued: QueuedDay[]): Promise<DayProgress[]> {
  let progress: DayProgress[] = [];
  await waitFor(async () => (progress = await dayProgress(boss, queued)).every((p) => p.done), 90_000, "every organisation's report to end");
  return progress;
}

test("a day queued twice is queued once; reports follow their own collections, failed or lost", { skip, timeout: 180_000 }, async () => {
  const orgs = organisations();
  const first = await enqueueDay(boss, orgs, { today: TODAY });
  const again = await enqueueDay(boss, orgs, { today: TODAY });
  assert.deepEqual(again, first);
  const [jobs] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM kansa_jobs.job WHERE data->>'kind' = 'collect'`);
  assert.equal(Number(jobs!.n), 3);
  // cedar has no source: its report is queued at once; acme's and birch's wait for their collections.
  const [reports] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM kansa_jobs.job WHERE data->>'kind' = 'report'`);
  assert.equal(Number(reports!.n), 1);

  // "Another worker" keeps acme-dev's collection lock for the whole test: its job cannot run.
  const held = await db.tryLock("kansa:collect:auth0:acme-dev");
  assert.ok(held);
  const worker = await workQueue({ db, boss, organisations: orgs, concurrency: 2, mail: false, log: silentLogger, runId: "test", lockWaitMs: 300 });
  stopWork = () => worker.stop(5_000);
  const progress = await settled(first);
  await held();

  const byOrg = new Map(progress.map((p) => [p.org, p]));
  // birch: its collection ran and failed (nobody answers): the report is built all the same, and says so.
  const birch = byOrg.get("birch")!;
  assert.equal(birch.collections[0]!.state, "completed");
  assert.equal(birch.report.state, "completed");
  assert.equal(birch.ok, false);
  assert.ok(birch.report.outcome!.errors.length > 0);
  // acme: acme-dev could not run three times: recorded as lost; the report went out with it.
  const acme = byOrg.get("acme")!;
  assert.equal(acme.collections.find((c) => c.tenant === "acme-dev")!.state, "failed");
  assert.equal(acme.report.state, "completed");
  assert.ok(acme.report.outcome!.errors.some((e) => /acme-dev" was lost 3 times/.test(e)), JSON.stringify(acme.report.outcome));
  // cedar: nothing to collect, nothing stored: a report all the same (its run is ok).
  assert.equal(byOrg.get("cedar")!.report.state, "completed");

  // One run per organisation, each recording its own collections' errors; no secret stored anywhere.
  const runs = await db.query<{ org: string; status: string; errors: unknown }>(`SELECT "org", "status", "errors" FROM "Run" WHERE "kind" = 'run' ORDER BY "org"`);
  assert.deepEqual(runs.map((r) => [r.org, r.status]), [["acme", "failed"], ["birch", "failed"], ["cedar", "ok"]]);
  const collections = await db.query<{ org: string; tenant: string }>(`SELECT "org", "tenant" FROM "Collection" ORDER BY "org", "tenant"`);
  assert.deepEqual(collections.map((c) => [c.org, c.tenant]), [["acme", "acme-dev"], ["acme", "acme-prod"], ["birch", "birch-prod"]]);
  const [dump] = await db.query<{ text: string }>(
    `SELECT (SELECT coalesce(string_agg(data::text || coalesce(output::text, ''), ' '), '') FROM kansa_jobs.job)
      || (SELECT coalesce(string_agg(result::text, ' '), '') FROM "Collection")
      || (SELECT coalesce(string_agg(errors::text || stats::text, ' '), '') FROM "Run") AS text`,
  );
  assert.ok(!dump!.text.includes("queue-secret-8Hq2"));
});
