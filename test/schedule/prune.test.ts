import { test } from "node:test";
import assert from "node:assert/strict";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { migrateDatabase } from "../../src/store/migrate.ts";
import { pruneCutoff, pruneDatabase } from "../../src/store/prune.ts";

async function freshDatabase(): Promise<Database> {
  const db = await openDatabase({ dataDir: "", inMemory: true });
  await migrateDatabase(db);
  return db;
}

function event(externalId: string, occurredAt: string, source = "kintone", tenant = "t") {
  return {
    source, tenant, externalId, occurredAt: new Date(occurredAt), account: "a", action: "login",
    ip: "", userAgent: "", raw: {},
  };
}

test("the cutoff is RETENTION_DAYS back from the reported day, but never inside the month before it", () => {
  assert.deepEqual(pruneCutoff("2026-03-31", 62, "UTC"), { cutoff: new Date("2026-01-28T00:00:00Z"), widened: false });
  assert.deepEqual(pruneCutoff("2026-03-31", 10, "UTC"), { cutoff: new Date("2026-02-01T00:00:00Z"), widened: true });
  // In Tokyo the previous month starts at 2026-02-01 00:00 +09:00.
  assert.deepEqual(pruneCutoff("2026-03-31", 10, "Asia/Tokyo").cutoff, new Date("2026-01-31T15:00:00Z"));
  // A past day's report keeps its own baseline month, whatever the wall clock says.
  assert.deepEqual(pruneCutoff("2026-10-05", 62, "UTC"), { cutoff: new Date("2026-08-04T00:00:00Z"), widened: false });
  assert.deepEqual(pruneCutoff("2026-10-05", 20, "UTC"), { cutoff: new Date("2026-09-01T00:00:00Z"), widened: true });
});

test("pruning for a past day deletes nothing of that day's baseline month or anything newer", async () => {
  const db = await freshDatabase();
  try {
    await db.prisma.auditEvent.createMany({
      data: [
        event("july", "2026-07-20T00:00:00Z"),
        event("sep-1", "2026-09-01T00:00:00Z"),
        event("oct-1", "2026-10-01T00:00:00Z"),
        event("nov-30", "2026-11-30T00:00:00Z"),
        event("dec-2", "2026-12-02T00:00:00Z"),
      ],
    });
    // Reporting 2026-10-05 (the run of --today 2026-10-06): September is its baseline.
    const result = await pruneDatabase(db, { reportedDay: "2026-10-05", retentionDays: 62, zone: "UTC" });
    assert.equal(result.events, 1);
    const left = (await db.prisma.auditEvent.findMany({ orderBy: { occurredAt: "asc" } })).map((e) => e.externalId);
    assert.deepEqual(left, ["sep-1", "oct-1", "nov-30", "dec-2"]);
  } finally {
    await db.close();
  }
});

test("pruning removes old events of every source and tenant, and sent reports; keeps baselines, unsent reports and the previous month", async () => {
  const db = await freshDatabase();
  try {
    await db.prisma.auditEvent.createMany({
      data: [
        event("old", "2026-01-15T00:00:00Z"),
        event("edge-before", "2026-01-31T23:59:59.999Z"),
        event("edge-after", "2026-02-01T00:00:00Z"),
        event("recent", "2026-03-30T00:00:00Z"),
        event("auth0-old", "2026-01-02T00:00:00Z", "auth0", "tenant.auth0.com"),
        event("auth0-recent", "2026-03-02T00:00:00Z", "auth0", "tenant.auth0.com"),
        event("other-tenant-old", "2025-12-02T00:00:00Z", "kintone", "u"),
      ],
    });
    await db.prisma.baseline.create({
      data: { source: "kintone", tenant: "t", month: "2025-12", timezone: "UTC", featureSet: "classic", n: 5, mean: [], covariance: [], dataVersion: "x" },
    });
    const old = new Date("2026-01-10T00:00:00Z");
    await db.prisma.report.createMany({
      data: [
        { day: "2026-01-09", tenants: "t", recipients: "a@example.com", subject: "s", html: "", text: "", model: {}, status: "sent", createdAt: old },
        { day: "2026-01-08", tenants: "t", recipients: "a@example.com", subject: "s", html: "", text: "", model: {}, status: "pending", createdAt: old },
      ],
    });
    const result = await pruneDatabase(db, { reportedDay: "2026-03-31", retentionDays: 10, zone: "UTC" });
    assert.equal(result.events, 4);
    assert.equal(result.reports, 1);
    assert.equal(result.widened, true);
    const left = (await db.prisma.auditEvent.findMany({ orderBy: { occurredAt: "asc" } })).map((e) => e.externalId);
    assert.deepEqual(left, ["edge-after", "auth0-recent", "recent"]);
    assert.equal(await db.prisma.baseline.count(), 1);
    const reports = await db.prisma.report.findMany();
    assert.deepEqual(reports.map((r) => r.status), ["pending"]);
  } finally {
    await db.close();
  }
});
