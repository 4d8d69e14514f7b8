/**
 * Mail through the real CLI (bin/kansa.js) on an embedded database on disk: `kansa run` mails
 * the day's report once to every address of SEND_TO_LIST, a second run sends nothing,
 * `--resend` sends again, an SMTP outage exits non-zero and leaves the report pending for the
 * next run; `kansa report` writes the HTML, text and .eml without sending.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { simpleParser } from "mailparser";
import { openDatabase } from "../../src/store/database.ts";
import { migrateDatabase } from "../../src/store/migrate.ts";
import { event, officeMonth, store } from "../report/fixtures.ts";
import { htmlText } from "./html-text.ts";
import { closedPort, startSmtpServer, type TestSmtpServer } from "./smtp-helper.ts";
import { cliEnv, runKansa, type Ran } from "../helpers/cli.ts";

const HOSTILE = `<script>alert(1)</script>"><img src=x onerror=alert(2)>`;
let dataDir: string;
let smtp: TestSmtpServer;
let env: Record<string, string>;

function kansa(args: string[], extra: Record<string, string> = {}): Promise<Ran> {
  return runKansa(args, cliEnv({ ...env, ...extra }));
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "kansa-mail-cli-"));
  smtp = await startSmtpServer();
  env = {
    REPORT_TIMEZONE: "Asia/Tokyo",
    LOG_LEVEL: "error",
    KANSA_DATA_DIR: dataDir,
    SMTP_URL: smtp.url,
    MAIL_FROM: "kansa <kansa@example.net>",
    SEND_TO_LIST: "ops@example.com,sec@example.org",
  };
  const db = await openDatabase({ dataDir });
  try {
    await migrateDatabase(db);
    await store(db, officeMonth("2026-09", 6, 3));
    await store(db, [
      event("2026-10-05T10:00:00", { action: "export user", isExport: true, externalId: "exp" }),
      event("2026-10-05T03:33:33", { account: "mallory", action: "Record file download", ip: "198.51.100.7", appId: "99", appName: HOSTILE, externalId: "odd" }),
      event("2026-10-05T11:00:00", { externalId: "plain" }),
    ]);
  } finally {
    await db.close();
  }
});

after(async () => {
  await smtp.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test("kansa run mails once to every address; a second run sends none; --resend sends again", async () => {
  const first = await kansa(["run", "--today", "2026-10-06"]);
  assert.equal(first.code, 0, first.stderr);
  // Before findings (issue 23) the subject counts the lists; with them it names the most severe finding.
  assert.match(first.stderr, /mail sent: \[kansa\] 2026-10-05: (1 export, 0 critical, 0 late-night logins, 1 outlier|(high|medium|low) — [^;]+; \d+ high, \d+ medium, \d+ low|no findings)/);
  assert.equal(smtp.received.length, 1);
  const mail = smtp.received[0]!;
  assert.deepEqual(mail.envelopeTo.sort(), ["ops@example.com", "sec@example.org"]);
  assert.match(mail.raw, /multipart\/alternative/i);
  const html = mail.parsed.html as string;
  assert.ok(!html.includes(HOSTILE) && !/<script|<img/i.test(html), "log strings are escaped");
  // A medium finding lists no events, so the app's name may not be shown at all; where it is, it is text.
  assert.equal(htmlText(html).includes(HOSTILE), (mail.parsed.text ?? "").includes(HOSTILE), "shown as text wherever the text part shows it");
  assert.match(mail.parsed.text ?? "", /mallory[^\n]* Record file download/, "the odd download is listed (as a finding, or in the lists before findings)");

  const second = await kansa(["run", "--today", "2026-10-06"]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /sent already/);
  assert.equal(smtp.received.length, 1);

  const resend = await kansa(["run", "--today", "2026-10-06", "--resend"]);
  assert.equal(resend.code, 0, resend.stderr);
  assert.equal(smtp.received.length, 2);

  const conflicting = await kansa(["run", "--today", "2026-10-06", "--resend", "--no-mail"]);
  assert.notEqual(conflicting.code, 0);
  assert.match(conflicting.stderr, /contradict/);
});

test("an SMTP outage exits non-zero and the next run sends the pending report", async () => {
  const before = smtp.received.length;
  const down = await kansa(["run", "--today", "2026-10-07"], { SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` });
  assert.equal(down.code, 1, down.stderr);
  assert.match(down.stderr, /mail failed: Sending the report of 2026-10-06 .*ECONNREFUSED.*next run sends it/);
  assert.equal(smtp.received.length, before);
  const next = await kansa(["run", "--today", "2026-10-07"]);
  assert.equal(next.code, 0, next.stderr);
  assert.equal(smtp.received.length, before + 1);
  assert.match(smtp.received.at(-1)!.parsed.subject ?? "", /^\[kansa\] 2026-10-06: /);
});

test("kansa report writes HTML, text and .eml without sending", async () => {
  const before = smtp.received.length;
  const out = join(dataDir, "r.html");
  const text = join(dataDir, "r.txt");
  const eml = join(dataDir, "r.eml");
  const result = await kansa(["report", "--today", "2026-10-06", "--out", out, "--text", text, "--eml", eml, "--lang", "ja"]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(smtp.received.length, before);
  // mallory's record file download is a documented download (issue 24): two exports.
  assert.ok(htmlText(readFileSync(out, "utf8")).includes("データの書き出し (2)"));
  assert.match(readFileSync(text, "utf8"), /異質なログ \d+ 件/);
  const parsed = await simpleParser(readFileSync(eml));
  assert.match(parsed.subject ?? "", /^\[kansa\] 2026-10-05: (書き出し 1 件、重要 0 件、深夜ログイン 0 件、異質なログ 1 件|[高中低] — [^／]+／高 \d+ 件、中 \d+ 件、低 \d+ 件|検出事項なし)$/);
  assert.ok(typeof parsed.html === "string" && !/<script|<img/i.test(parsed.html));
  const nothing = await kansa(["report", "--today", "2026-10-06"]);
  assert.notEqual(nothing.code, 0);
  assert.match(nothing.stderr, /needs somewhere to write/);
});
