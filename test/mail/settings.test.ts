import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { loadConfig } from "../../src/sources/config.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { clearSecrets, redactSecrets } from "../../src/core/secrets.ts";
import { formatAddress, parseAddress, parseAddressList } from "../../src/mail/addresses.ts";
import { mailSettingsFromConfig, smtpServerFromConfig } from "../../src/mail/transport.ts";

const configError = (pattern: RegExp) => (error: unknown) => error instanceof ConfigError && pattern.test(error.message);

describe("addresses", () => {
  it("reads plain and named addresses", () => {
    assert.deepEqual(parseAddress("ops@example.com", "SEND_TO_LIST"), { name: "", address: "ops@example.com" });
    assert.deepEqual(parseAddress(`"Security, Team" <sec@example.org>`, "X"), { name: "Security, Team", address: "sec@example.org" });
    assert.deepEqual(parseAddress("kansa <kansa@localhost>", "MAIL_FROM"), { name: "kansa", address: "kansa@localhost" });
    assert.deepEqual(parseAddress("担当 <tanto@例え.jp>", "X"), { name: "担当", address: "tanto@例え.jp" });
    assert.equal(formatAddress({ name: 'A "B"', address: "a@b.c" }), '"A \\"B\\"" <a@b.c>');
  });
  it("names the variable and the bad address", () => {
    assert.throws(() => parseAddressList(["ops@example.com", "ops.example.com"], "SEND_TO_LIST"), configError(/^SEND_TO_LIST holds an invalid address "ops.example.com": it has no @\.$/));
    assert.throws(() => parseAddressList(["a@b@c"], "SEND_TO_LIST"), configError(/SEND_TO_LIST holds an invalid address "a@b@c"/));
    assert.throws(() => parseAddressList(["user@-bad-.com"], "SEND_TO_LIST"), configError(/"user@-bad-.com"/));
    assert.throws(() => parseAddress("x@y.z\r\nBcc: evil@example.com", "MAIL_FROM"), configError(/MAIL_FROM .*line break/));
    assert.throws(() => parseAddressList([], "SEND_TO_LIST"), configError(/SEND_TO_LIST is empty/));
  });
  it("drops duplicate recipients", () => {
    assert.equal(parseAddressList(["a@example.com", "A <A@example.com>"], "SEND_TO_LIST").length, 1);
  });
  it("validates SEND_TO_LIST as the config splits it", () => {
    const config = loadConfig({ SMTP_URL: "smtp://localhost:25", SEND_TO_LIST: " ops@example.com , bad" });
    assert.throws(() => mailSettingsFromConfig(config), configError(/SEND_TO_LIST holds an invalid address "bad"/));
  });
});

describe("SMTP server settings", () => {
  after(() => clearSecrets());
  it("uses SMTP_URL first and describes it without the password", () => {
    const config = loadConfig({ SMTP_URL: "smtps://mailer:p%40ss-w0rd!@smtp.example.com:465", MAILGUN_SMTP_SERVER: "smtp.mailgun.org" });
    const server = smtpServerFromConfig(config);
    assert.equal(server.describe, "smtps://smtp.example.com:465 as mailer (SMTP_URL)");
    assert.equal(server.options.url, "smtps://mailer:p%40ss-w0rd!@smtp.example.com:465");
    assert.equal(redactSecrets("login p@ss-w0rd! failed"), "login *** failed");
  });
  it("refuses other URL schemes", () => {
    assert.throws(() => smtpServerFromConfig(loadConfig({ SMTP_URL: "http://smtp.example.com" })), configError(/SMTP_URL must start with smtp:\/\/ or smtps:\/\//));
  });
  it("uses the Mailgun add-on variables", () => {
    const server = smtpServerFromConfig(loadConfig({ MAILGUN_SMTP_SERVER: "smtp.mailgun.org", MAILGUN_SMTP_PORT: "587", MAILGUN_SMTP_LOGIN: "postmaster@mg.example.com", MAILGUN_SMTP_PASSWORD: "mg-secret" }));
    assert.equal(server.options.host, "smtp.mailgun.org");
    assert.equal(server.options.port, 587);
    assert.equal(server.options.secure, false);
    assert.equal(server.options.requireTLS, true);
    assert.deepEqual(server.options.auth, { user: "postmaster@mg.example.com", pass: "mg-secret" });
    assert.doesNotMatch(server.describe, /mg-secret/);
    assert.throws(() => smtpServerFromConfig(loadConfig({ MAILGUN_SMTP_SERVER: "smtp.mailgun.org", MAILGUN_SMTP_PORT: "http", MAILGUN_SMTP_LOGIN: "a", MAILGUN_SMTP_PASSWORD: "bcd" })), configError(/^MAILGUN_SMTP_PORT must be a port number/));
    assert.throws(() => smtpServerFromConfig(loadConfig({ MAILGUN_SMTP_SERVER: "smtp.mailgun.org", MAILGUN_SMTP_PASSWORD: "bcd" })), configError(/^MAILGUN_SMTP_LOGIN must be set/));
  });
  it("uses the SendGrid add-on variables", () => {
    const server = smtpServerFromConfig(loadConfig({ SENDGRID_USERNAME: "app123@heroku.com", SENDGRID_PASSWORD: "sg-secret" }));
    assert.equal(server.options.host, "smtp.sendgrid.net");
    assert.equal(server.options.port, 587);
    assert.equal(server.describe, "smtp://smtp.sendgrid.net:587 as app123@heroku.com (SendGrid)");
    assert.throws(() => smtpServerFromConfig(loadConfig({ SENDGRID_USERNAME: "app123@heroku.com" })), configError(/^SENDGRID_PASSWORD must be set/));
  });
  it("says how to configure mail when nothing is set", () => {
    assert.throws(() => smtpServerFromConfig(loadConfig({})), configError(/SMTP_URL is not set .*--no-mail/));
  });
});
