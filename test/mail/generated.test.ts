/**
 * The whole path on generated data: a generated organisation's console CSV and Auth0 log
 * stream (with hostile strings and labelled anomalies) imported through `kansa import`, then
 * `kansa run` builds the report from the store (buildReport) and mails it. The subject is the
 * model's, every high finding and the first entries of each list appear in the mail, and every
 * hostile string arrives as text.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { ReportModel } from "../../src/core/report-model.ts";
import { generateDataset, writeAuth0Ndjson, writeConsoleCsv } from "../../src/tools/generator/index.ts";
import { displayText } from "../../src/mail/format.ts";
import { reportSubject } from "../../src/mail/subject.ts";
import { htmlText } from "./html-text.ts";
import { startSmtpServer, type TestSmtpServer } from "./smtp-helper.ts";
import { cliEnv, runKansa, type Ran } from "../helpers/cli.ts";

let dir: string;
let smtp: TestSmtpServer;
let env: Record<string, string>;

function kansa(args: string[]): Promise<Ran> {
  return runKansa(args, cliEnv(env));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "kansa-mail-gen-"));
  smtp = await startSmtpServer();
  env = {
    REPORT_TIMEZONE: "Asia/Tokyo",
    LOG_LEVEL: "error",
    KANSA_DATA_DIR: join(dir, "data"),
    SMTP_URL: smtp.url,
    MAIL_FROM: "kansa@example.net",
    SEND_TO_LIST: "ops@example.com",
    KINTONE_TENANT: "example.cybozu.com",
  };
  const data = generateDataset({ seed: 11, from: "2026-09-01", to: "2026-10-05", consolePerDay: 30, auth0PerDay: 6, anomalies: true, hostile: true });
  mkdirSync(join(dir, "in"));
  await writeConsoleCsv(data.consoleRows, join(dir, "in", "console.csv"));
  await writeAuth0Ndjson(data.auth0Events, join(dir, "in", "auth0.ndjson"));
});

after(async () => {
  await smtp.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a generated day is mailed with every listed entry, hostile strings as text", { timeout: 300_000 }, async () => {
  const imported = await kansa(["import", join(dir, "in")]);
  assert.equal(imported.code, 0, imported.stderr);
  const json = await kansa(["run", "--today", "2026-10-06", "--no-mail", "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const model = JSON.parse(json.stdout) as ReportModel;
  // The appendix lists the first entries of each list (at least one even when the mail's size
  // budget cuts it); every listed finding of high severity is there.
  const s = model.sections;
  const listed = [s.exports, s.critical, s.lateNight, ...(s.lateNight.failed ? [s.lateNight.failed] : [])].flatMap((section) => section.items.slice(0, 1));
  assert.ok(listed.length > 0, "the generated day has entries to report");

  const sent = await kansa(["run", "--today", "2026-10-06"]);
  assert.equal(sent.code, 0, sent.stderr);
  assert.equal(smtp.received.length, 1);
  const mail = smtp.received[0]!;
  assert.equal(mail.parsed.subject, reportSubject(model, "en"));
  const html = mail.parsed.html as string;
  const visible = htmlText(html);
  const text = mail.parsed.text ?? "";
  for (const e of listed) {
    const account = e.account === "" ? "(no account)" : displayText(e.account, 120);
    assert.ok(visible.includes(account) && text.includes(account), `entry ${e.externalId} (${account}) is in both parts`);
    assert.ok(visible.includes(displayText(e.action, 120)), `action of ${e.externalId}`);
  }
  for (const f of (model.findings ?? []).filter((f) => f.severity === "high" && !f.expected)) {
    assert.ok(visible.includes(displayText(f.id, 80)) && text.includes(displayText(f.id, 80)), `high finding ${f.id} is in both parts`);
  }
  assert.doesNotMatch(html, /<script|<img|\son[a-z]+\s*=\s*["']?alert/i);
  const appNames = listed.map((e) => e.appName ?? "").filter((n) => n.includes("<"));
  for (const name of appNames) assert.ok(visible.includes(displayText(name, 80)), `hostile app name ${name} shown as text`);
});
