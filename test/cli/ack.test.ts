/**
 * `kansa ack`: the finding is found in the stored reports (or the day's report built now), the
 * acknowledgement is stored with its events, reason, day, user and time, on PGlite and on
 * PostgreSQL; an unknown id or an empty reason is refused with a sentence. And what it changes:
 * an acknowledged event counts as ordinary in the next baseline, so the same address the next
 * day is no longer new (profile feature set).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { setClock } from "../../src/core/clock.ts";
import { InputError } from "../../src/core/errors.ts";
import type { Finding, ReportModel } from "../../src/core/report-model.ts";
import { ackFinding } from "../../src/cli/ack.ts";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { migrateDatabase } from "../../src/store/migrate.ts";
import { storeReport } from "../../src/store/outbox.ts";
import { listAcknowledgements, loadAcknowledgedEvents } from "../../src/store/acknowledgements.ts";
import { openTestPglite } from "../helpers/pglite.ts";
import { postgresTestSkip, startPostgres, type TestPostgres } from "../helpers/postgres.ts";
import { cliEnv, runKansa } from "../helpers/cli.ts";
import { event, officeMonth, store, testConfig } from "../report/fixtures.ts";
import { scoreDay } from "../../src/detect/score-day.ts";
import { ensureBaseline } from "../../src/detect/baseline-service.ts";
import { getFeatureSet } from "../../src/encode/registry.ts";

const FINDING_ID = "2026-11-10-0123456789";
const events = [
  { source: "kintone", tenant: "example.cybozu.com", externalId: "e1" },
  { source: "kintone", tenant: "example.cybozu.com", externalId: "e2" },
];

function finding(id: string, keys: typeof events): Finding {
  return {
    id, severity: "high", kind: "export", source: "kintone", tenant: "example.cybozu.com", account: "temp-contractor4",
    accounts: [{ source: "kintone", tenant: "example.cybozu.com", account: "temp-contractor4" }],
    from: "2026-11-10T14:00:00+09:00", to: "2026-11-10T16:00:00+09:00", summary: "temp-contractor4 downloaded 2 files", reasons: [], reasonDetails: [],
    eventCount: keys.length, actions: [], apps: [], addresses: [],
    events: keys.map((k) => ({ ...k, occurredAt: "2026-11-10T14:00:00+09:00", account: "temp-contractor4", action: "Record export", ip: "45.77.12.34", appId: "12", appName: null, level: null, flags: ["export"] })),
  };
}

/** A stored report of 2026-11-10 (the outbox row the daily job writes) holding `findings`. */
async function storeDayReport(db: Database, findings: Finding[]): Promise<void> {
  const model = { day: "2026-11-10", timezone: "Asia/Tokyo", generatedAt: "2026-11-11T07:00:00+09:00", sources: [], baselines: [], alarms: [], histogram: [], findings } as unknown as ReportModel;
  await storeReport(db, { day: "2026-11-10", tenants: "kintone:example.cybozu.com", recipients: [], subject: "kansa", html: "", text: "", model });
}

function suite(name: string, open: () => Promise<{ db: Database; close: () => Promise<void> }>, skip: string | false = false): void {
  describe(`kansa ack on ${name}`, { skip }, () => {
    test("stores the acknowledgement of a stored finding with its events; refuses an unknown id and an empty reason", async () => {
      const { db, close } = await open();
      try {
        await storeDayReport(db, [finding("2026-11-10-other00000", [events[0]!]), finding(FINDING_ID, events)]);
        setClock(new Date("2026-11-11T01:02:03Z"));
        const { line } = await ackFinding(db, { findingId: FINDING_ID, reason: "contractor's agreed hand-over", by: "tester" });
        assert.equal(line, `Acknowledged ${FINDING_ID} (2026-11-10, 2 events) as expected: contractor's agreed hand-over. Its events count as ordinary in the next baselines.`);
        const stored = await listAcknowledgements(db);
        assert.equal(stored.length, 1);
        const { id: _id, createdAt, ...rest } = stored[0]!;
        assert.deepEqual(rest, { findingId: FINDING_ID, day: "2026-11-10", reason: "contractor's agreed hand-over", by: "tester", events });
        const age = createdAt.getTime() - Date.parse("2026-11-11T01:02:03Z");
        assert.ok(age >= 0 && age < 60_000, `stored at the clock's time, got ${createdAt.toISOString()}`);

        await assert.rejects(ackFinding(db, { findingId: "2026-11-10-ffffffffff", reason: "x", by: "tester" }), (error: unknown) => {
          assert.ok(error instanceof InputError);
          assert.match(error.message, /No report has a finding with the id "2026-11-10-ffffffffff"/);
          assert.match(error.message, /kansa report --json/);
          return true;
        });
        await assert.rejects(ackFinding(db, { findingId: FINDING_ID, reason: "  ", by: "tester" }), /kansa ack needs a reason/);
        assert.equal((await listAcknowledgements(db)).length, 1, "nothing stored for refused requests");

        // The acknowledged events as a baseline reads them: in the range, oldest first, once each.
        await store(db, [
          event("2026-11-10T15:00:00", { externalId: "e1", userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148" }),
          event("2026-11-10T14:00:00", { externalId: "e2" }),
          event("2026-11-10T14:30:00", { externalId: "e3" }),
        ]);
        await ackFinding(db, { findingId: FINDING_ID, reason: "again", by: "tester" });
        const scope = { source: "kintone", tenant: "example.cybozu.com" };
        const loaded = await loadAcknowledgedEvents(db, scope, { from: new Date("2026-11-01T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z") });
        assert.deepEqual(loaded.map((e) => [e.externalId, e.isMobile]), [["e2", false], ["e1", true]]);
        assert.deepEqual(await loadAcknowledgedEvents(db, scope, { from: new Date("2026-11-10T06:00:01Z"), to: new Date("2026-12-01T00:00:00Z") }), [], "outside the range");
      } finally {
        setClock(null);
        await close();
      }
    });

    test("an id only in the day's report built now (kansa report --json) is found there", async () => {
      const { db, close } = await open();
      try {
        const asked: string[] = [];
        const built = async (day: string) => {
          asked.push(day);
          return [finding("2026-11-12-aaaaaaaaaa", [events[1]!])];
        };
        const { ack } = await ackFinding(db, { findingId: "2026-11-12-aaaaaaaaaa", reason: "known", by: "tester" }, built);
        assert.deepEqual(asked, ["2026-11-12"]);
        assert.equal(ack.day, "2026-11-12");
        assert.deepEqual(ack.events, [events[1]]);
        await assert.rejects(ackFinding(db, { findingId: "2026-11-12-bbbbbbbbbb", reason: "known", by: "tester" }, built), InputError);
      } finally {
        await close();
      }
    });
  });
}

suite("PGlite", async () => {
  const db = await openTestPglite();
  return { db, close: () => db.close() };
});

let server: TestPostgres | null = null;
after(async () => server?.stop());
suite(
  "PostgreSQL",
  async () => {
    server ??= await startPostgres();
    if (!server) throw new Error("no PostgreSQL");
    const db = await openDatabase({ databaseUrl: await server.createDatabase(), dataDir: "" });
    await migrateDatabase(db);
    return { db, close: () => db.close() };
  },
  postgresTestSkip(),
);

test("the command: an unknown id fails with the sentence and a non-zero exit; --reason is required", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "kansa-ack-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = cliEnv({ KANSA_DATA_DIR: dir, LOG_LEVEL: "silent", KANSA_NOW: "2026-11-11" });
  const unknown = await runKansa(["ack", "2026-11-10-0000000000", "--reason", "expected"], env);
  assert.equal(unknown.code, 1, unknown.stderr);
  assert.match(unknown.stderr, /No report has a finding with the id "2026-11-10-0000000000".*kansa report --json.*\[E_INPUT\]/);
  const noReason = await runKansa(["ack", "2026-11-10-0000000000"], env);
  assert.notEqual(noReason.code, 0);
  assert.match(noReason.stderr, /--reason/);
});

test("an acknowledged event counts as ordinary in the next baseline: its address is not new the next day (profile)", async () => {
  const db = await openTestPglite();
  setClock(new Date("2026-11-12T07:00:00+09:00"));
  try {
    const config = testConfig({ FEATURE_SET: "profile" });
    await store(db, officeMonth("2026-10", 12));
    const first = event("2026-11-10T10:00:00", { ip: "45.77.12.34", externalId: "first-from-45" });
    await store(db, [first, event("2026-11-11T10:30:00", { ip: "45.77.12.34", externalId: "again-from-45" })]);
    const scored = async (today: string, externalId: string) => {
      const found = (await scoreDay(db, config, today)).events.find((e) => e.externalId === externalId);
      assert.ok(found, `${externalId} scored`);
      return found;
    };
    assert.ok((await scored("2026-11-11", "first-from-45")).vector.address_new! > 0, "the first event from the address is new for alice");
    assert.ok((await scored("2026-11-12", "again-from-45")).vector.address_new! > 0, "without an acknowledgement, the next day's is new too");

    const key = { source: first.source, tenant: first.tenant, externalId: first.externalId };
    await storeDayReport(db, [finding(FINDING_ID, [key])]);
    await ackFinding(db, { findingId: FINDING_ID, reason: "alice works from the branch office now", by: "tester" });

    assert.equal((await scored("2026-11-12", "again-from-45")).vector.address_new, 0, "acknowledged: the address is alice's");
    const profile = getFeatureSet("profile");
    const baseline = await ensureBaseline(db, config, { scope: { source: first.source, tenant: first.tenant }, month: "2026-10", featureSet: profile });
    assert.equal(baseline.reused, true, "the refitted baseline is stored and reused while nothing changes");
    assert.equal(baseline.n, officeMonth("2026-10", 12).length + 1, "the month's events and the acknowledged one");
    const before = await ensureBaseline(db, config, { scope: { source: first.source, tenant: first.tenant }, month: "2026-10", featureSet: profile, day: "2026-11-10" });
    assert.equal(before.n, baseline.n - 1, "the reported day bounds the acknowledged events: the day of the event itself is fitted without it");
  } finally {
    setClock(null);
    await db.close();
  }
});
