import { test } from "node:test";
import assert from "node:assert/strict";
import { PGlite } from "@electric-sql/pglite";
import { pgliteDatabase, pgliteOptions, type Database } from "../../src/store/database.ts";
import { migrateDatabase } from "../../src/store/migrate.ts";
import { storeEvents } from "../../src/store/events.ts";
import type { AuditEvent } from "../../src/core/types.ts";

function events(from: number, count: number): AuditEvent[] {
  return Array.from({ length: count }, (_, k) => ({
    source: "kintone", tenant: "t", externalId: `e${from + k}`, occurredAt: new Date(Date.UTC(2026, 9, 1, 0, 0, k)),
    account: "a", action: "login", ip: "", ipParsed: null, appId: null, appName: null, userAgent: "", level: null, result: null,
    isExport: false, isCritical: false, isLogin: true, isFailedLogin: false, raw: { pad: "x".repeat(200) },
  }));
}

async function checkpointLsn(db: Database): Promise<string> {
  const [row] = await db.query<{ lsn: string }>(`SELECT checkpoint_lsn::text AS lsn FROM pg_control_checkpoint()`);
  return row!.lsn;
}

test("the embedded database takes a checkpoint after so much bulk input (single-user PostgreSQL has no checkpointer)", async () => {
  const db = pgliteDatabase(await PGlite.create(pgliteOptions()), "embedded (test)", { checkpointChars: 100_000 });
  try {
    await migrateDatabase(db);
    const start = await checkpointLsn(db);
    await storeEvents(db, events(0, 100)); // ~30,000 characters of COPY input: below the threshold
    assert.equal(await checkpointLsn(db), start);
    await storeEvents(db, events(100, 400)); // past it, by COPY
    const afterCopy = await checkpointLsn(db);
    assert.notEqual(afterCopy, start);
    // The INSERT ... ON CONFLICT path (a call that meets stored keys) counts too.
    await storeEvents(db, events(0, 1000));
    assert.notEqual(await checkpointLsn(db), afterCopy);
  } finally {
    await db.close();
  }
});
