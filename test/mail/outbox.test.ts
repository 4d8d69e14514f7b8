import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { Database } from "../../src/store/database.ts";
import { STALE_SENDING_MS, claimReport, listPendingReports, markReportFailed, markReportSent, storeReport, tenantsKey } from "../../src/store/outbox.ts";
import { openTestPglite } from "../helpers/pglite.ts";
import { busyModel, emptyModel } from "./fixtures.ts";

const input = (model = busyModel(), subject = "s") => ({ day: model.day, tenants: tenantsKey(model), recipients: ["a@example.com"], subject, html: "<p>h</p>", text: "t", model });

describe("outbox", () => {
  let db: Database;
  beforeEach(async () => {
    db = await openTestPglite();
  });
  afterEach(async () => {
    await db.close();
  });

  it("keys a report by day and the sorted tenant set", () => {
    assert.equal(tenantsKey(busyModel()), "auth0:acme.eu.auth0.com,kintone:example.cybozu.com");
  });

  it("stores before sending, replaces an unsent rendering, keeps a sent one unless resend", async () => {
    const first = await storeReport(db, input(busyModel(), "v1"));
    assert.equal(first.report.status, "pending");
    const second = await storeReport(db, input(busyModel(), "v2"));
    assert.equal(second.report.id, first.report.id);
    assert.equal(second.report.subject, "v2");
    assert.ok(await claimReport(db, second.report, ["a@example.com"]));
    await markReportSent(db, second.report.id, "<id@x>");
    const third = await storeReport(db, input(busyModel(), "v3"));
    assert.equal(third.alreadySent, true);
    assert.equal(third.report.subject, "v2");
    const resend = await storeReport(db, input(busyModel(), "v4"), { resend: true });
    assert.equal(resend.alreadySent, false);
    assert.equal(resend.report.status, "pending");
    assert.equal(resend.report.subject, "v4");
    assert.equal(resend.report.attempts, 1);
  });

  it("lets one claim win, and leaves a row being sent alone", async () => {
    const { report } = await storeReport(db, input());
    const [a, b] = await Promise.all([claimReport(db, report, ["x@example.com"]), claimReport(db, report, ["x@example.com"])]);
    assert.equal(Number(a) + Number(b), 1);
    assert.equal((await listPendingReports(db)).length, 0);
    const again = await storeReport(db, input());
    assert.equal(again.inProgress, true);
  });

  it("takes back a send abandoned by a dead process, but not a fresh one", async () => {
    const { report } = await storeReport(db, input(emptyModel()));
    assert.ok(await claimReport(db, report, ["x@example.com"]));
    assert.equal((await listPendingReports(db)).length, 0);
    const later = new Date(Date.now() + STALE_SENDING_MS + 60_000);
    const stale = await listPendingReports(db, later);
    assert.equal(stale.length, 1);
    assert.equal(stale[0]!.status, "sending");
    assert.ok(await claimReport(db, stale[0]!, ["x@example.com"], later));
    await markReportFailed(db, report.id, "connect ECONNREFUSED");
    const pending = await listPendingReports(db);
    assert.equal(pending[0]!.attempts, 2);
    assert.equal(pending[0]!.lastError, "connect ECONNREFUSED");
  });
});
