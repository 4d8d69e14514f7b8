import assert from "node:assert/strict";
import { after, afterEach, beforeEach, describe, it } from "node:test";
import { loadConfig } from "../../src/sources/config.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { clearSecrets } from "../../src/core/secrets.ts";
import type { Database } from "../../src/store/database.ts";
import { findReport, listPendingReports, tenantsKey } from "../../src/store/outbox.ts";
import { deliverReport, sendPendingReports } from "../../src/mail/deliver.ts";
import { displayText } from "../../src/mail/format.ts";
import { openTestPglite } from "../helpers/pglite.ts";
import { HOSTILE_APP, busyModel, emptyModel } from "./fixtures.ts";
import { htmlText } from "./html-text.ts";
import { closedPort, startSmtpServer, type TestSmtpServer } from "./smtp-helper.ts";

const RECIPIENTS = "ops@example.com, Security Team <sec@example.org>";
const configFor = (url: string, extra: Record<string, string> = {}) =>
  loadConfig({ SMTP_URL: url, MAIL_FROM: "kansa <kansa@example.net>", SEND_TO_LIST: RECIPIENTS, REPORT_TIMEZONE: "Asia/Tokyo", ...extra });

describe("deliverReport over a real SMTP server", () => {
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

  it("sends one multipart mail to every recipient with every section", async () => {
    smtp = await startSmtpServer();
    const model = busyModel();
    const result = await deliverReport(db, configFor(smtp.url), model, { log: silentLogger });
    assert.equal(result.sent, true);
    assert.equal(result.error, undefined);
    assert.equal(smtp.received.length, 1);
    const mail = smtp.received[0]!;
    assert.deepEqual(mail.envelopeTo.sort(), ["ops@example.com", "sec@example.org"]);
    assert.equal(mail.envelopeFrom, "kansa@example.net");
    assert.equal(mail.parsed.subject, "[kansa] 2026-10-05: 2 exports, 3 critical, 1 late-night login, 4 outliers");
    assert.match(mail.raw, /Content-Type: multipart\/alternative/i);
    assert.equal(typeof mail.parsed.html, "string");
    const html = mail.parsed.html as string;
    const text = mail.parsed.text ?? "";
    const visible = htmlText(html);
    for (const section of [model.sections.exports, model.sections.critical, model.sections.lateNight, model.sections.lateNight.failed!]) {
      for (const e of section.items) {
        for (const value of [displayText(e.account, 120), e.action]) {
          assert.ok(visible.includes(value), `HTML shows ${value}`);
          assert.ok(text.includes(value), `text shows ${value}`);
        }
      }
    }
    // The hostile app name arrives as text, not markup.
    assert.ok(!html.includes(HOSTILE_APP));
    assert.ok(html.includes("&lt;script&gt;"));
    assert.ok(visible.includes(HOSTILE_APP));
    assert.doesNotMatch(html, /<script|<img|onmouseover\s*=\s*"/i);
    // Stored before sending, and marked sent with the server's message id.
    const row = await findReport(db, "2026-10-05", tenantsKey(model));
    assert.equal(row?.status, "sent");
    assert.equal(row?.attempts, 1);
    assert.equal(row?.messageId, mail.parsed.messageId);
    assert.deepEqual(row?.recipients, ["ops@example.com", '"Security Team" <sec@example.org>']);
  });

  it("sends a day's report once, and again only with resend", async () => {
    smtp = await startSmtpServer();
    const config = configFor(smtp.url);
    const first = await deliverReport(db, config, busyModel(), { log: silentLogger });
    const second = await deliverReport(db, config, busyModel(), { log: silentLogger });
    assert.equal(first.sent, true);
    assert.equal(second.sent, false);
    assert.equal(second.alreadySent, true);
    assert.equal(second.error, undefined);
    assert.equal(smtp.received.length, 1);
    const third = await deliverReport(db, config, busyModel(), { log: silentLogger, resend: true });
    assert.equal(third.sent, true);
    assert.equal(smtp.received.length, 2);
    assert.notEqual(third.messageId, first.messageId);
    const row = await findReport(db, "2026-10-05", tenantsKey(busyModel()));
    assert.equal(row?.attempts, 2);
  });

  it("keeps the report pending through an SMTP outage and sends it once on the next run", async () => {
    const downUrl = `smtp://127.0.0.1:${await closedPort()}`;
    const failed = await deliverReport(db, configFor(downUrl), busyModel(), { log: silentLogger });
    assert.equal(failed.sent, false);
    assert.match(failed.error ?? "", /Sending the report of 2026-10-05 through smtp:\/\/127\.0\.0\.1:\d+ \(SMTP_URL\) failed \(E[A-Z]+\): connect ECONNREFUSED.*next run sends it/);
    const pending = await listPendingReports(db);
    assert.equal(pending.length, 1);
    assert.equal(pending[0]!.status, "pending");
    assert.equal(pending[0]!.attempts, 1);
    assert.match(pending[0]!.lastError ?? "", /ECONNREFUSED|ECONNECTION/);

    // The server is back; the next day's run sends the pending report first, then its own.
    smtp = await startSmtpServer();
    const next = emptyModel();
    const result = await deliverReport(db, configFor(smtp.url), next, { log: silentLogger });
    assert.equal(result.sent, true);
    assert.equal(result.pendingSent, 1);
    assert.deepEqual(smtp.received.map((m) => m.parsed.subject?.slice(0, 19)), ["[kansa] 2026-10-05:", "[kansa] 2026-10-06:"]);
    assert.equal((await listPendingReports(db)).length, 0);

    // Nothing is left to send: another run sends nothing more.
    const again = await sendPendingReports(db, configFor(smtp.url), { log: silentLogger });
    assert.deepEqual(again, { sent: 0, failed: 0, errors: [] });
    await deliverReport(db, configFor(smtp.url), busyModel(), { log: silentLogger });
    assert.equal(smtp.received.length, 2);
  });

  it("retries the same day after a failure and sends it exactly once", async () => {
    const downUrl = `smtp://127.0.0.1:${await closedPort()}`;
    await deliverReport(db, configFor(downUrl), busyModel(), { log: silentLogger });
    smtp = await startSmtpServer();
    const retry = await deliverReport(db, configFor(smtp.url), busyModel(), { log: silentLogger });
    assert.equal(retry.sent, true);
    assert.equal(retry.pendingSent, 0);
    assert.equal(smtp.received.length, 1);
    const row = await findReport(db, "2026-10-05", tenantsKey(busyModel()));
    assert.equal(row?.status, "sent");
    assert.equal(row?.attempts, 2);
    assert.equal(row?.lastError, null);
  });

  it("does not double-send when two deliveries of the same day overlap", async () => {
    smtp = await startSmtpServer();
    const config = configFor(smtp.url);
    const [a, b] = await Promise.all([
      deliverReport(db, config, busyModel(), { log: silentLogger }),
      deliverReport(db, config, busyModel(), { log: silentLogger }),
    ]);
    assert.equal(Number(a.sent) + Number(b.sent), 1);
    assert.equal(smtp.received.length, 1);
  });

  it("never shows the SMTP password when the login is refused", async () => {
    smtp = await startSmtpServer({ auth: { user: "kansa", pass: "right-password" } });
    const badUrl = `smtp://kansa:${encodeURIComponent("s3cr3t-Pa55word")}@127.0.0.1:${smtp.port}`;
    // The test server offers no STARTTLS: opting out is what lets the login reach it.
    const plaintext = { SMTP_ALLOW_PLAINTEXT_AUTH: "1" };
    const result = await deliverReport(db, configFor(badUrl, plaintext), busyModel(), { log: silentLogger });
    assert.equal(result.sent, false);
    assert.match(result.error ?? "", /EAUTH/);
    assert.doesNotMatch(result.error ?? "", /s3cr3t-Pa55word/);
    const row = await findReport(db, "2026-10-05", tenantsKey(busyModel()));
    assert.doesNotMatch(row?.lastError ?? "", /s3cr3t/);
    assert.equal(smtp.received.length, 0);
    // With the right password it goes out.
    const ok = await deliverReport(db, configFor(smtp.url, plaintext), busyModel(), { log: silentLogger });
    assert.equal(ok.sent, true);
    assert.equal(smtp.received.length, 1);
  });

  it("mails in Japanese with REPORT_LANG=ja", async () => {
    smtp = await startSmtpServer();
    await deliverReport(db, configFor(smtp.url, { REPORT_LANG: "ja" }), busyModel(), { log: silentLogger });
    const mail = smtp.received[0]!;
    assert.equal(mail.parsed.subject, "[kansa] 2026-10-05: 書き出し 2 件、重要 3 件、深夜ログイン 1 件、異質なログ 4 件");
    assert.ok(htmlText(mail.parsed.html as string).includes("異質なログ 4 件"));
    assert.ok((mail.parsed.text ?? "").includes("顧客管理"));
  });

  it("refuses to store anything when the recipients are wrong", async () => {
    await assert.rejects(
      deliverReport(db, loadConfig({ SMTP_URL: "smtp://127.0.0.1:25", SEND_TO_LIST: "ops@example.com, not-an-address" }), busyModel(), { log: silentLogger }),
      (error: Error) => /SEND_TO_LIST holds an invalid address "not-an-address"/.test(error.message),
    );
    assert.equal((await listPendingReports(db)).length, 0);
  });
});
