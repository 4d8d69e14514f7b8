/**
 * Several organisations share one outbox: a report left pending by one organisation's failed
 * send must never go to another organisation's recipients when that one delivers its own, and
 * two organisations' reports of the same day and tenant set are two rows. Real SMTP, PGlite.
 */
import assert from "node:assert/strict";
import { after, afterEach, beforeEach, describe, it } from "node:test";
import { loadConfig } from "../../src/sources/config.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { clearSecrets } from "../../src/core/secrets.ts";
import type { Database } from "../../src/store/database.ts";
import { listPendingReports } from "../../src/store/outbox.ts";
import { deliverReport, sendPendingReports } from "../../src/mail/deliver.ts";
import { openTestPglite } from "../helpers/pglite.ts";
import { busyModel } from "./fixtures.ts";
import { closedPort, startSmtpServer, type TestSmtpServer } from "./smtp-helper.ts";

const configFor = (url: string, to: string) => loadConfig({ SMTP_URL: url, MAIL_FROM: "kansa <kansa@example.net>", SEND_TO_LIST: to, REPORT_TIMEZONE: "Asia/Tokyo" });

describe("the outbox, per organisation", () => {
  let db: Database;
  let smtp: TestSmtpServer | undefined;
  beforeEach(async () => {
    db = await openTestPglite();
  });
  afterEach(async () => {
    await smtp?.close();
    smtp = undefined;
    await db.close();
  });
  after(() => clearSecrets());

  it("sends an organisation's pending reports to its own recipients only", async () => {
    // acme's send fails (no server): its report stays pending.
    const down = `smtp://127.0.0.1:${await closedPort()}`;
    const acme = { ...busyModel(), organisation: "acme" };
    const failed = await deliverReport(db, configFor(down, "sec@acme.example"), acme, { log: silentLogger });
    assert.equal(failed.sent, false);
    assert.equal((await listPendingReports(db, undefined, "acme")).length, 1);

    // beta delivers the same day (same tenant set, even): its own mail only; acme's stays pending.
    smtp = await startSmtpServer();
    const beta = { ...busyModel(), organisation: "beta" };
    const sent = await deliverReport(db, configFor(smtp.url, "soc@beta.example"), beta, { log: silentLogger });
    assert.equal(sent.sent, true);
    assert.equal(sent.pendingSent, 0);
    assert.equal(smtp.received.length, 1);
    assert.deepEqual(smtp.received[0]!.envelopeTo, ["soc@beta.example"]);
    assert.match(smtp.received[0]!.parsed.subject ?? "", /^\[kansa beta\] 2026-10-05: /);
    assert.equal((await listPendingReports(db, undefined, "acme")).length, 1);

    // beta's sendPendingReports does not touch acme's either; acme's own does, to acme.
    assert.equal((await sendPendingReports(db, configFor(smtp.url, "soc@beta.example"), { log: silentLogger, org: "beta" })).sent, 0);
    const acmePending = await sendPendingReports(db, configFor(smtp.url, "sec@acme.example"), { log: silentLogger, org: "acme" });
    assert.equal(acmePending.sent, 1);
    assert.equal(smtp.received.length, 2);
    assert.deepEqual(smtp.received[1]!.envelopeTo, ["sec@acme.example"]);
    assert.match(smtp.received[1]!.parsed.subject ?? "", /^\[kansa acme\] /);
    assert.equal((await listPendingReports(db)).length, 0);
  });

  it("keeps the subject tag to a configuration name: anything else is left out", async () => {
    smtp = await startSmtpServer();
    const odd = { ...busyModel(), organisation: "evil]\r\nBcc: x@example.com" };
    const result = await deliverReport(db, configFor(smtp.url, "a@example.com"), odd, { log: silentLogger });
    assert.equal(result.sent, true);
    assert.match(smtp.received[0]!.parsed.subject ?? "", /^\[kansa\] 2026-10-05: /);
    assert.deepEqual(smtp.received[0]!.envelopeTo, ["a@example.com"]);
  });
});
