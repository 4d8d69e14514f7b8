/**
 * Issue 21, secrets in transit: SMTP credentials never travel unencrypted. A server that
 * offers no STARTTLS never receives the password (the send fails with a sentence naming the
 * host and what to do, never the password) unless SMTP_ALLOW_PLAINTEXT_AUTH=1 says so; a URL
 * without credentials (an unauthenticated local relay) still sends.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, beforeEach, describe, it } from "node:test";
import { loadConfig } from "../../src/sources/config.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { clearSecrets } from "../../src/core/secrets.ts";
import type { Database } from "../../src/store/database.ts";
import { openDatabase } from "../../src/store/database.ts";
import { migrateDatabase } from "../../src/store/migrate.ts";
import { findReport, tenantsKey } from "../../src/store/outbox.ts";
import { deliverReport, describeDelivery } from "../../src/mail/deliver.ts";
import { smtpServerFromConfig } from "../../src/mail/transport.ts";
import { openTestPglite } from "../helpers/pglite.ts";
import { event, officeMonth, store } from "../report/fixtures.ts";
import { busyModel } from "./fixtures.ts";
import { startSmtpServer, type TestSmtpServer } from "./smtp-helper.ts";

const PASSWORD = "tr4nsit-S3cret";
const ADVICE = /127\.0\.0\.1 offers no STARTTLS, and kansa never sends SMTP credentials unencrypted: use smtps:\/\/ \(port 465\) or a server that offers STARTTLS, or, for a local relay you trust, set SMTP_ALLOW_PLAINTEXT_AUTH=1\./;
const configFor = (url: string, extra: Record<string, string> = {}) =>
  loadConfig({ SMTP_URL: url, MAIL_FROM: "kansa <kansa@example.net>", SEND_TO_LIST: "ops@example.com", REPORT_TIMEZONE: "Asia/Tokyo", ...extra });

describe("SMTP credentials and a server without STARTTLS", () => {
  let db: Database;
  let smtp: TestSmtpServer;
  let url: string;
  beforeEach(async () => {
    db = await openTestPglite();
    // disabledCommands STARTTLS, authOptional false, onAuth recording every password.
    smtp = await startSmtpServer({ auth: { user: "kansa", pass: PASSWORD } });
    url = `smtp://kansa:${encodeURIComponent(PASSWORD)}@127.0.0.1:${smtp.port}`;
  });
  afterEach(async () => {
    await smtp.close();
    await db.close();
  });
  after(() => clearSecrets());

  it("never sends the password, and fails the mail with a sentence naming the host", async () => {
    const result = await deliverReport(db, configFor(url), busyModel(), { log: silentLogger });
    assert.deepEqual(smtp.authAttempts, [], "the server never saw a login");
    assert.equal(smtp.received.length, 0);
    assert.equal(result.sent, false);
    assert.match(result.error ?? "", ADVICE);
    assert.match(describeDelivery(result), /^mail failed: .*127\.0\.0\.1 offers no STARTTLS/);
    assert.doesNotMatch(result.error ?? "", new RegExp(PASSWORD));
    const row = await findReport(db, "2026-10-05", tenantsKey(busyModel()));
    assert.equal(row?.status, "pending");
    assert.match(row?.lastError ?? "", ADVICE);
    assert.doesNotMatch(row?.lastError ?? "", new RegExp(PASSWORD));
  });

  it("sends the login unencrypted only with SMTP_ALLOW_PLAINTEXT_AUTH=1", async () => {
    const result = await deliverReport(db, configFor(url, { SMTP_ALLOW_PLAINTEXT_AUTH: "1" }), busyModel(), { log: silentLogger });
    assert.equal(result.sent, true, result.error);
    assert.deepEqual(smtp.authAttempts, [PASSWORD]);
    assert.equal(smtp.received.length, 1);
  });

  it("sends through an unauthenticated relay without TLS: nothing secret goes over it", async () => {
    const relay = await startSmtpServer();
    try {
      const result = await deliverReport(db, configFor(relay.url), busyModel(), { log: silentLogger });
      assert.equal(result.sent, true, result.error);
      assert.equal(relay.received.length, 1);
    } finally {
      await relay.close();
    }
  });
});

describe("which settings require STARTTLS before the login", () => {
  after(() => clearSecrets());
  const server = (env: Record<string, string>) => smtpServerFromConfig(loadConfig(env));

  it("SMTP_URL: smtp:// with credentials requires it; smtps://, no credentials or the opt-out do not", () => {
    assert.equal(server({ SMTP_URL: "smtp://u:p@smtp.example.com:587" }).options.requireTLS, true);
    assert.equal(server({ SMTP_URL: "smtp://u:p@smtp.example.com:587" }).requiresStartTls, true);
    assert.equal(server({ SMTP_URL: "smtps://u:p@smtp.example.com:465" }).options.requireTLS, undefined);
    assert.equal(server({ SMTP_URL: "smtp://relay.internal:25" }).options.requireTLS, undefined);
    assert.equal(server({ SMTP_URL: "smtp://u:p@relay.internal:25", SMTP_ALLOW_PLAINTEXT_AUTH: "1" }).options.requireTLS, undefined);
    // smtps:// turned into plain SMTP by the query is plain SMTP.
    assert.equal(server({ SMTP_URL: "smtps://u:p@smtp.example.com:465?secure=false" }).options.requireTLS, true);
  });

  it("refuses an SMTP_URL whose query turns requireTLS off, without the password in the sentence", () => {
    assert.throws(
      () => server({ SMTP_URL: "smtp://u:hunter2-secret@smtp.example.com:587?requireTLS=false" }),
      (error: Error) => error instanceof ConfigError && /^SMTP_URL must not turn requireTLS off/.test(error.message) && /smtp\.example\.com/.test(error.message) && !error.message.includes("hunter2"),
    );
  });

  it("Mailgun requires it on every port but 465 (25 too), unless opted out", () => {
    const mailgun = { MAILGUN_SMTP_SERVER: "smtp.mailgun.org", MAILGUN_SMTP_LOGIN: "postmaster@mg.example.com", MAILGUN_SMTP_PASSWORD: "mg-secret" };
    assert.equal(server({ ...mailgun, MAILGUN_SMTP_PORT: "25" }).options.requireTLS, true);
    assert.equal(server({ ...mailgun, MAILGUN_SMTP_PORT: "587" }).options.requireTLS, true);
    assert.equal(server({ ...mailgun, MAILGUN_SMTP_PORT: "465" }).options.requireTLS, false);
    assert.equal(server({ ...mailgun, MAILGUN_SMTP_PORT: "25", SMTP_ALLOW_PLAINTEXT_AUTH: "1" }).options.requireTLS, false);
  });
});

describe("kansa run with a login and a server without STARTTLS", () => {
  const bin = join(import.meta.dirname, "..", "..", "bin", "kansa.js");
  let dataDir: string;
  let smtp: TestSmtpServer;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "kansa-smtp-tls-"));
    smtp = await startSmtpServer({ auth: { user: "kansa", pass: PASSWORD } });
    const db = await openDatabase({ dataDir });
    try {
      await migrateDatabase(db);
      await store(db, officeMonth("2026-09", 4, 2));
      await store(db, [event("2026-10-05T10:00:00", { externalId: "plain" })]);
    } finally {
      await db.close();
    }
  });
  afterEach(async () => {
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("exits 1 and says why the mail failed, and the server never sees the password", async () => {
    const env = {
      PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", REPORT_TIMEZONE: "Asia/Tokyo", LOG_LEVEL: "error", KANSA_DATA_DIR: dataDir,
      SMTP_URL: `smtp://kansa:${encodeURIComponent(PASSWORD)}@127.0.0.1:${smtp.port}`, MAIL_FROM: "kansa <kansa@example.net>", SEND_TO_LIST: "ops@example.com",
    };
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, "run", "--today", "2026-10-06"], { env });
      let out = "";
      let err = "";
      child.stdout.on("data", (c: Buffer) => (out += c.toString()));
      child.stderr.on("data", (c: Buffer) => (err += c.toString()));
      child.on("close", (c) => resolve({ code: c ?? -1, stdout: out, stderr: err }));
    });
    assert.equal(code, 1, stderr);
    assert.match(stderr, /mail failed: .*127\.0\.0\.1 offers no STARTTLS.*SMTP_ALLOW_PLAINTEXT_AUTH=1/);
    assert.ok(!(stdout + stderr).includes(PASSWORD));
    assert.deepEqual(smtp.authAttempts, []);
    assert.equal(smtp.received.length, 0);
  });
});
