/** The emulated console over plain HTTP: the facts of the real console it must reproduce. */
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { startConsoleEmulator, type ConsoleEmulator } from "../../src/tools/console-emulator/index.ts";
import { readConsoleCsv } from "../../src/sources/kintone/console-csv/index.ts";

const USER = "admin@example.com";
const PASSWORD = "correct horse 42";

function row(date: string, action: string, extra: Partial<Record<string, string>> = {}): Record<string, string> {
  return {
    Date: date, Level: "情報", Service: "共通", User: "u@example.com", "IP Address": "203.0.113.10", "User Agent": "Mozilla/5.0",
    Module: "Authentication", Action: action, Result: "SUCCESS", "Error Code": "", Complement: "", ...extra,
  };
}

const ROWS = [
  row("2026-10-01 09:00:00", "login"),
  row("2026-10-01 09:00:00", "logout", { Level: "重要" }),
  row("2026-10-02 10:30:15", "export user", { Complement: 'say "hi", <b>bold</b>\nnext line' }),
  row("2026-10-01 23:59:59", "login"),
  row("2026-10-02 00:00:00", "login"),
  row("2026-10-03 08:00:00", "login"),
];

let emulator: ConsoleEmulator;
before(async () => {
  emulator = await startConsoleEmulator({ user: USER, password: PASSWORD, rows: ROWS, downloadCap: 3, sessionTtlMs: 60_000 });
});
after(() => emulator.close());

/** A tiny cookie-keeping client. */
class Client {
  cookies = new Map<string, string>();
  constructor(private readonly base: string) {}
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(this.base + path, { ...init, headers, redirect: "manual" });
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(";");
      const [k, v] = pair!.split("=");
      if (/Max-Age=0/i.test(set)) this.cookies.delete(k!);
      else this.cookies.set(k!, v ?? "");
    }
    return res;
  }
  async loginPageToken(query = ""): Promise<string> {
    const html = await (await this.fetch(`/login${query}`)).text();
    const m = /cybozu\.data\.REQUEST_TOKEN = '([0-9a-f-]{36})'/.exec(html);
    assert.ok(m, "the login page embeds cybozu.data.REQUEST_TOKEN = '<uuid>'");
    return m[1]!;
  }
  async login(password = PASSWORD, redirect = "/"): Promise<Response> {
    const token = await this.loginPageToken();
    const res = await this.fetch("/api/auth/login.json", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: USER, password, keepUsername: false, redirect, __REQUEST_TOKEN__: token }),
    });
    const json = (await res.json()) as { success: boolean; result?: { redirect: string } };
    if (!json.success) return new Response(JSON.stringify(json), { status: res.status });
    return this.fetch("/api/auth/redirect.do", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ redirect: json.result!.redirect, __REQUEST_TOKEN__: token }).toString(),
    });
  }
}

test("the login page builds its form by script around a request token (no <input> in the HTML)", async () => {
  const client = new Client(emulator.url);
  const res = await client.fetch("/login");
  const html = await res.text();
  assert.equal(res.status, 200);
  assert.doesNotMatch(html, /<input/i);
  assert.match(html, /cybozu\.data\.REQUEST_TOKEN = '[0-9a-f-]{36}'/);
  const script = await (await client.fetch("/static/js/login.js")).text();
  for (const needle of ['"username"', '"password"', 'name: "redirect"', "keepUsername", "login-button", "/api/auth/login.json", "/api/auth/redirect.do", "__REQUEST_TOKEN__"]) {
    assert.ok(script.includes(needle), `login.js mentions ${needle}`);
  }
});

test("login.json answers {result:{redirect},success:true}; redirect.do sets the session cookie", async () => {
  const client = new Client(emulator.url);
  const token = await client.loginPageToken();
  const res = await client.fetch("/api/auth/login.json", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: USER, password: PASSWORD, keepUsername: true, redirect: "/admin/", __REQUEST_TOKEN__: token }),
  });
  assert.deepEqual(await res.json(), { result: { redirect: "/admin/" }, success: true });
  assert.equal(client.cookies.has("JSESSIONID"), false, "no session before redirect.do");
  const done = await client.fetch("/api/auth/redirect.do", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ redirect: "/admin/", __REQUEST_TOKEN__: token }).toString(),
  });
  assert.equal(done.status, 302);
  assert.equal(done.headers.get("location"), "/admin/");
  assert.ok(client.cookies.has("JSESSIONID"));
  const admin = await client.fetch("/admin/");
  assert.match(await admin.text(), /id="admin-menu-auditlog"/);
});

test("the login never redirects off-site, whatever the redirect says", async () => {
  for (const redirect of ["/%09/evil.example/x", "/\t/evil.example/x", "//evil.example/", "/\\evil.example/", "https://evil.example/", "/\n/evil.example"]) {
    const client = new Client(emulator.url);
    const token = await client.loginPageToken();
    const res = await client.fetch("/api/auth/login.json", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: USER, password: PASSWORD, keepUsername: false, redirect: decodeURIComponent(redirect), __REQUEST_TOKEN__: token }),
    });
    assert.deepEqual(await res.json(), { result: { redirect: "/" }, success: true }, redirect);
    const done = await client.fetch("/api/auth/redirect.do", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `redirect=${redirect.replace(/\t/g, "%09").replace(/\n/g, "%0A").replace(/\\/g, "%5C")}&__REQUEST_TOKEN__=${token}`,
    });
    assert.equal(done.headers.get("location"), "/", redirect);
  }
});

test("wrong credentials get a JSON error and no session; a missing or wrong token gets CB_IL02", async () => {
  const client = new Client(emulator.url);
  const res = await client.login("wrong password");
  const json = (await res.json()) as { success: boolean; code: string; message: string };
  assert.equal(json.success, false);
  assert.equal(json.code, "CB_WA01");
  assert.ok(json.message.length > 0);
  assert.equal(client.cookies.has("JSESSIONID"), false);

  await client.loginPageToken();
  const bad = await client.fetch("/api/auth/login.json", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: USER, password: PASSWORD, __REQUEST_TOKEN__: "00000000-0000-0000-0000-000000000000" }),
  });
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { code: string }).code, "CB_IL02");
  const page = await client.fetch("/api/auth/redirect.do", { method: "POST", body: "redirect=%2F" });
  assert.equal(page.status, 400);
  assert.match(await page.text(), /CB_IL02/);

  emulator.switches.rejectPasswords = true;
  try {
    const refused = (await (await new Client(emulator.url).login()).json()) as { success: boolean };
    assert.equal(refused.success, false, "the wrong-password switch refuses even the right password");
  } finally {
    emulator.switches.rejectPasswords = false;
  }
});

test("pages opened without a session send the browser to /login by script, not by a 302", async () => {
  const res = await new Client(emulator.url).fetch("/admin/auditlog/?startDate=2026-10-01");
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /location\.replace\("\/login\?redirect=" \+ encodeURIComponent\(location\.pathname \+ location\.search\)\)/);
  assert.doesNotMatch(html, /auditlog-filter/);
});

test("with SAML on, /login shows the SSO notice and /login?saml=off the password form", async () => {
  const saml = await startConsoleEmulator({ user: USER, password: PASSWORD, rows: ROWS, saml: true });
  try {
    const client = new Client(saml.url);
    assert.doesNotMatch(await (await client.fetch("/login")).text(), /REQUEST_TOKEN/);
    assert.match(await (await client.fetch("/login?saml=off")).text(), /REQUEST_TOKEN/);
  } finally {
    await saml.close();
  }
});

async function signedIn(): Promise<Client> {
  const client = new Client(emulator.url);
  const res = await client.login();
  assert.equal(res.status, 302);
  return client;
}

function tokenOf(html: string): string {
  return /name="__REQUEST_TOKEN__" value="([^"]+)"/.exec(html)![1]!;
}

async function download(client: Client, startDate: string, endDate: string, token?: string, times = ["00:00:00", "23:59:59"]) {
  const page = await (await client.fetch(`/admin/auditlog/?startDate=${startDate}&startTime=${times[0]}&endDate=${endDate}&endTime=${times[1]}`)).text();
  const body = new URLSearchParams({ startDate, startTime: times[0]!, endDate, endTime: times[1]!, __REQUEST_TOKEN__: token ?? tokenOf(page) });
  return { page, res: await client.fetch("/admin/auditlog/download", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body.toString() }) };
}

async function readRows(bytes: Uint8Array) {
  const rows = [];
  for await (const batch of readConsoleCsv(bytes, { origin: "test" })) rows.push(...batch.rows);
  return rows;
}

test("the audit log page filters by range and shows the newest entries, HTML escaped", async () => {
  const client = await signedIn();
  const html = await (await client.fetch("/admin/auditlog/?startDate=2026-10-02&startTime=00:00:00&endDate=2026-10-02&endTime=23:59:59")).text();
  assert.match(html, /data-count="2"/);
  assert.match(html, /say &quot;hi&quot;, &lt;b&gt;bold&lt;\/b&gt;/);
  assert.doesNotMatch(html, /<b>bold<\/b>/);
  const newest = html.indexOf("2026-10-02 10:30:15");
  const older = html.indexOf("2026-10-02 00:00:00");
  assert.ok(newest > 0 && older > newest, "newest first");
});

test("the CSV download: BOM, Japanese header, every cell quoted, newest first, read back exactly", async () => {
  const client = await signedIn();
  const { res } = await download(client, "2026-10-02", "2026-10-02");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-disposition") ?? "", /^attachment; filename="auditlog_/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = Buffer.from(bytes).toString("utf8");
  assert.ok(text.startsWith('\uFEFF"日時","レベル","サービス","ユーザー","IPアドレス","ユーザーエージェント","モジュール","アクション","結果","エラーコード","補足"\r\n'));
  assert.ok(text.includes('"say ""hi"", <b>bold</b>\nnext line"'));
  const rows = await readRows(bytes);
  assert.deepEqual(rows.map((r) => r.cells.Date), ["2026-10-02 10:30:15", "2026-10-02 00:00:00"]);
  assert.equal(rows[0]!.cells.Complement, 'say "hi", <b>bold</b>\nnext line');
});

test("the range is inclusive to the second and stops at the cap (newest rows kept)", async () => {
  const client = await signedIn();
  const one = await download(client, "2026-10-01", "2026-10-01", undefined, ["09:00:00", "09:00:00"]);
  assert.equal((await readRows(new Uint8Array(await one.res.arrayBuffer()))).length, 2);
  const all = await download(client, "2026-10-01", "2026-10-03");
  const rows = await readRows(new Uint8Array(await all.res.arrayBuffer()));
  assert.equal(rows.length, 3, "cap of 3");
  assert.deepEqual(rows.map((r) => r.cells.Date), ["2026-10-03 08:00:00", "2026-10-02 10:30:15", "2026-10-02 00:00:00"]);
});

test("English UI: English header and level/service names", async () => {
  const en = await startConsoleEmulator({ user: USER, password: PASSWORD, rows: ROWS, lang: "en" });
  try {
    const client = new Client(en.url);
    const token = await client.loginPageToken();
    const body = JSON.stringify({ username: USER, password: PASSWORD, redirect: "/", __REQUEST_TOKEN__: token });
    await client.fetch("/api/auth/login.json", { method: "POST", body });
    await client.fetch("/api/auth/redirect.do", { method: "POST", body: new URLSearchParams({ redirect: "/", __REQUEST_TOKEN__: token }).toString() });
    const page = await (await client.fetch("/admin/auditlog/?startDate=2026-10-01&endDate=2026-10-01")).text();
    assert.match(page, /Export to CSV file/);
    const res = await client.fetch("/admin/auditlog/download", {
      method: "POST",
      body: new URLSearchParams({ startDate: "2026-10-01", startTime: "00:00:00", endDate: "2026-10-01", endTime: "23:59:59", __REQUEST_TOKEN__: tokenOf(page) }).toString(),
    });
    const text = Buffer.from(await res.arrayBuffer()).toString("utf8");
    assert.ok(text.startsWith('\uFEFF"Date","Level","Service","User","IP Address","User Agent","Module","Action","Result","Error Code","Complement"'));
    assert.match(text, /"Notice","Common"/);
    assert.doesNotMatch(text, /重要|共通/);
  } finally {
    await en.close();
  }
});

test("a download without the session's token is CB_IL02; without a session it is the script redirect", async () => {
  const client = await signedIn();
  const { res } = await download(client, "2026-10-01", "2026-10-01", "not-the-token");
  assert.equal(res.status, 400);
  assert.match(await res.text(), /CB_IL02/);
  const anonymous = await new Client(emulator.url).fetch("/admin/auditlog/download", { method: "POST", body: "startDate=2026-10-01" });
  assert.match(await anonymous.text(), /location\.replace\("\/login\?redirect=" \+ encodeURIComponent\("\/admin\/auditlog\/"\)\)/);
});

test("sessions expire: after the idle time-out, and by the switch after N downloads", async () => {
  const short = await startConsoleEmulator({ user: USER, password: PASSWORD, rows: ROWS, sessionTtlMs: 150 });
  try {
    const client = new Client(short.url);
    const token = await client.loginPageToken();
    await client.fetch("/api/auth/login.json", { method: "POST", body: JSON.stringify({ username: USER, password: PASSWORD, redirect: "/", __REQUEST_TOKEN__: token }) });
    await client.fetch("/api/auth/redirect.do", { method: "POST", body: new URLSearchParams({ redirect: "/", __REQUEST_TOKEN__: token }).toString() });
    assert.match(await (await client.fetch("/admin/")).text(), /admin-menu-auditlog/);
    await new Promise((r) => setTimeout(r, 300));
    assert.match(await (await client.fetch("/admin/")).text(), /location\.replace/);
  } finally {
    await short.close();
  }
  const client = await signedIn();
  emulator.switches.expireSessionsAfterDownloads = 1;
  const first = await download(client, "2026-10-01", "2026-10-01");
  assert.equal(first.res.status, 200);
  await first.res.arrayBuffer();
  assert.match(await (await client.fetch("/admin/")).text(), /location\.replace/);
  assert.equal(emulator.switches.expireSessionsAfterDownloads, null, "the switch fires once");
});

test("switches: a failing download is cut off mid-transfer; a renamed element; a slow page", async () => {
  const client = await signedIn();
  emulator.switches.failDownloads = 1;
  const { res } = await download(client, "2026-10-01", "2026-10-03");
  await assert.rejects(res.arrayBuffer(), "the body ends abruptly");
  assert.equal(emulator.switches.failDownloads, 0);
  const again = await download(client, "2026-10-01", "2026-10-03");
  assert.equal((await readRows(new Uint8Array(await again.res.arrayBuffer()))).length, 3);

  emulator.switches.renameElement = "auditlog-search";
  emulator.switches.slowMs = 300;
  try {
    const started = Date.now();
    const html = await (await client.fetch("/admin/auditlog/")).text();
    assert.ok(Date.now() - started >= 280, "slow page");
    assert.match(html, /id="auditlog-search-renamed"/);
    assert.doesNotMatch(html, /id="auditlog-search"/);
  } finally {
    emulator.switches.renameElement = null;
    emulator.switches.slowMs = 0;
  }
});

test("the download reaches back only the configured window (the real console: 6 weeks)", async () => {
  const windowed = await startConsoleEmulator({ user: USER, password: PASSWORD, rows: ROWS, downloadWindowDays: 42, today: "2026-11-20" });
  try {
    const client = new Client(windowed.url);
    const token = await client.loginPageToken();
    await client.fetch("/api/auth/login.json", { method: "POST", body: JSON.stringify({ username: USER, password: PASSWORD, redirect: "/", __REQUEST_TOKEN__: token }) });
    await client.fetch("/api/auth/redirect.do", { method: "POST", body: new URLSearchParams({ redirect: "/", __REQUEST_TOKEN__: token }).toString() });
    const old = await (await client.fetch("/admin/auditlog/?startDate=2026-10-01&endDate=2026-10-03")).text();
    assert.match(old, /id="auditlog-message"[^>]*>[^<]*42/);
    const body = new URLSearchParams({ startDate: "2026-10-01", startTime: "00:00:00", endDate: "2026-10-03", endTime: "23:59:59", __REQUEST_TOKEN__: tokenOf(old) });
    const refused = await client.fetch("/admin/auditlog/download", { method: "POST", body: body.toString() });
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /CB_VA01/);
    const recent = await (await client.fetch("/admin/auditlog/?startDate=2026-10-09&endDate=2026-10-10")).text();
    assert.doesNotMatch(recent, /auditlog-message/);
  } finally {
    await windowed.close();
  }
});
