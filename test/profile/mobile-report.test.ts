/**
 * The carrier-block rule through the stored path `kansa score` and the report use: the reported
 * day is read from the database (loadEvents), not handed over in memory, and must still say
 * which events came from a phone.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { scoreDay } from "../../src/detect/score-day.ts";
import type { Database } from "../../src/store/database.ts";
import { loadEvents } from "../../src/store/event-queries.ts";
import { dayRange } from "../../src/core/calendar.ts";
import { event, officeMonth, openTestDatabase, store, testConfig } from "../report/fixtures.ts";
import { IPHONE_AGENT as IPHONE } from "../helpers/user-agents.ts";

let db: Database;

before(async () => {
  db = await openTestDatabase();
  const month = officeMonth("2026-10", 12);
  // alice's phone, from one carrier address, on six evenings of October.
  for (const d of [3, 8, 13, 18, 23, 28]) {
    month.push(event(`2026-10-${String(d).padStart(2, "0")}T18:30:00`, { account: "alice", userAgent: IPHONE, ip: "49.96.10.20" }));
  }
  await store(db, month);
  await store(db, [
    event("2026-11-10T18:30:00", { account: "alice", userAgent: IPHONE, ip: "49.96.201.7", externalId: "phone-same-carrier" }),
    event("2026-11-10T11:00:00", { account: "alice", ip: "49.96.201.8", externalId: "desktop-same-block" }),
  ]);
});
after(async () => db.close());

test("a day read from the store knows its phone events, so the carrier-block rule applies when scoring", async () => {
  const scope = { source: "kintone", tenant: "example.cybozu.com" };
  const day = await loadEvents(db, scope, dayRange("2026-11-10", "Asia/Tokyo"));
  assert.deepEqual(day.map((e) => [e.externalId, e.isMobile]), [["desktop-same-block", false], ["phone-same-carrier", true]]);

  const scored = (await scoreDay(db, testConfig({ FEATURE_SET: "profile" }), "2026-11-11")).events;
  const byId = new Map(scored.map((s) => [s.externalId, s]));
  const phone = byId.get("phone-same-carrier")!;
  assert.equal(phone.vector.address_new, 0, "another address of the carrier alice's phone used");
  assert.equal(phone.vector.network_new, 0);
  const desktop = byId.get("desktop-same-block")!;
  assert.ok(desktop.vector.address_new! > 0 && desktop.vector.network_new! > 0, "a desktop from that block is new");
  assert.equal(desktop.outlier, true);
  // Without the rule both would score alike (two first-seen flags); with it the phone is left
  // with what any unfamiliar address has (its rarity), a small part of the desktop's distance.
  assert.ok(phone.distance! * 10 < desktop.distance!, `${phone.distance} against ${desktop.distance}`);
});
