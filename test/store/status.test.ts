import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readStoreStatus } from "../../src/store/status.ts";
import { storeEvents } from "../../src/store/events.ts";
import type { Database } from "../../src/store/database.ts";
import type { AuditEvent } from "../../src/core/types.ts";
import { openTestPglite } from "../helpers/pglite.ts";
import { formatStatus } from "../../src/cli/status.ts";
import { cursorAgeHours } from "../../src/store/cursors.ts";

let db: Database;
before(async () => {
  db = await openTestPglite();
});
after(async () => {
  await db?.close();
});

function event(source: "kintone" | "auth0", tenant: string, id: string, at: string): AuditEvent {
  return {
    source, tenant, externalId: id, occurredAt: new Date(at), account: "a", action: "login", ip: "", ipParsed: null,
    appId: null, appName: null, userAgent: "", level: null, result: null,
    isExport: false, isCritical: false, isLogin: false, isFailedLogin: false, raw: {},
  };
}

test("status: events per source and tenant with first and last times, cursors with their age, last run per kind", async () => {
  const now = new Date("2026-10-02T12:00:00Z");
  await storeEvents(db, [
    event("auth0", "t.auth0.com", "1", "2026-10-01T00:00:00Z"),
    event("auth0", "t.auth0.com", "2", "2026-10-01T10:00:00Z"),
    event("kintone", "x.cybozu.com", "a", "2026-09-30T23:00:00Z"),
  ]);
  await db.prisma.sourceCursor.create({ data: { source: "auth0", tenant: "t.auth0.com", cursor: "900200", lastSuccessAt: new Date("2026-10-02T06:00:00Z") } });
  // A later pull stored part of its range (the cursor written at 11:00) and failed: the age still counts from the success.
  await db.query(`UPDATE "SourceCursor" SET "updatedAt" = $1`, [new Date("2026-10-02T11:00:00Z")]);
  await db.prisma.sourceCursor.create({ data: { source: "auth0", tenant: "never-stored.auth0.com", cursor: "" } });
  await db.prisma.run.create({ data: { kind: "import", status: "ok", startedAt: new Date("2026-10-01T00:00:00Z") } });
  await db.prisma.run.create({ data: { kind: "import", status: "partial", startedAt: new Date("2026-10-02T00:00:00Z") } });
  await db.prisma.run.create({ data: { kind: "run", status: "failed", startedAt: new Date("2026-10-01T12:00:00Z") } });

  const status = await readStoreStatus(db, now);
  assert.equal(status.database, "embedded (in memory, test)");
  assert.equal(status.totalEvents, 3);
  assert.deepEqual(status.sources.map((s) => [s.source, s.tenant, s.events]), [
    ["auth0", "never-stored.auth0.com", 0],
    ["auth0", "t.auth0.com", 2],
    ["kintone", "x.cybozu.com", 1],
  ]);
  const auth0 = status.sources[1]!;
  assert.equal(auth0.firstEventAt?.toISOString(), "2026-10-01T00:00:00.000Z");
  assert.equal(auth0.lastEventAt?.toISOString(), "2026-10-01T10:00:00.000Z");
  assert.equal(auth0.cursor, "900200");
  assert.equal(auth0.cursorAgeHours, 6);
  assert.equal(auth0.lastSuccessAt?.toISOString(), "2026-10-02T06:00:00.000Z");
  assert.equal(status.sources[0]!.cursor, null);
  assert.equal(status.sources[2]!.cursor, null);
  assert.deepEqual(status.lastRuns.map((r) => [r.kind, r.status]), [["import", "partial"], ["run", "failed"]]);
  const text = formatStatus(status);
  assert.match(text, /auth0 \/ t\.auth0\.com\n  events:        2\n  first event:   2026-10-01T00:00:00Z/);
  assert.match(text, /cursor:        900200 \(last successful pull 6 h ago\)/);
});

test("cursor age: hours since the last successful pull, whatever wrote the cursor since; null before one", () => {
  const now = new Date("2026-10-02T12:00:00Z");
  assert.equal(cursorAgeHours({ lastSuccessAt: new Date("2026-10-01T12:00:00Z") }, now), 24);
  assert.equal(cursorAgeHours({ lastSuccessAt: new Date("2026-10-02T11:30:00Z") }, now), 0.5);
  assert.equal(cursorAgeHours({ lastSuccessAt: null }, now), null);
  assert.equal(cursorAgeHours(null, now), null);
});
