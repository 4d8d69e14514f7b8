import { test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "../../src/sources/config.ts";
import { chromiumExecutable, consoleBaseUrl, consoleTenant, createKintoneSource } from "../../src/sources/kintone/index.ts";
import { consoleUrl } from "../../src/sources/kintone/settings.ts";
import { consoleWindow, splitWindow } from "../../src/sources/kintone/ranges.ts";
import { safeUrl } from "../../src/sources/kintone/steps.ts";

test("KINTONE_HOSTNAME: a bare host means https://HOST, a full URL is used as given", () => {
  assert.equal(consoleUrl(consoleBaseUrl("example.cybozu.com"), "/login"), "https://example.cybozu.com/login");
  assert.equal(consoleUrl(consoleBaseUrl("http://127.0.0.1:8080"), "/login"), "http://127.0.0.1:8080/login");
  assert.equal(consoleUrl(consoleBaseUrl("https://console.example/prefix/"), "/login"), "https://console.example/prefix/login");
  assert.throws(() => consoleBaseUrl("ftp://example.com"), /KINTONE_HOSTNAME/);
  assert.throws(() => consoleBaseUrl("https://u:p@example.com"), /must not carry credentials/);
  assert.equal(consoleTenant("https://example.cybozu.com/", undefined), "example.cybozu.com");
  assert.equal(consoleTenant("127.0.0.1:8080", undefined), "127.0.0.1:8080");
  assert.equal(consoleTenant("example.cybozu.com", "acme"), "acme");
});

test("CHROMIUM_PATH wins, then /usr/bin/chromium when present, else Playwright's own browser", () => {
  assert.equal(chromiumExecutable("/opt/chrome", () => true), "/opt/chrome");
  assert.equal(chromiumExecutable(undefined, (p) => p === "/usr/bin/chromium"), "/usr/bin/chromium");
  assert.equal(chromiumExecutable(undefined, () => false), undefined);
});

test("createKintoneSource is null unless host, id and password are all set", () => {
  const base = { KINTONE_HOSTNAME: "example.cybozu.com", KINTONE_ADMIN_ID: "admin", KINTONE_ADMIN_PW: "pw-123456" };
  assert.equal(createKintoneSource(loadConfig({ ...base, KINTONE_ADMIN_PW: "" })), null);
  assert.equal(createKintoneSource(loadConfig({ ...base, KINTONE_HOSTNAME: undefined })), null);
  assert.equal(createKintoneSource(loadConfig({ ...base, KINTONE_ADMIN_ID: " " })), null);
  const source = createKintoneSource(loadConfig(base));
  assert.ok(source);
  assert.equal(source.name, "kintone");
  assert.equal(source.tenant, "example.cybozu.com");
  assert.equal(createKintoneSource(loadConfig({ ...base, KINTONE_TENANT: "acme" }))?.tenant, "acme");
});

test("a window is the console's local dates and times of the whole seconds in the range, both ends included", () => {
  const days = consoleWindow(new Date("2026-09-30T15:00:00Z"), new Date("2026-10-02T15:00:00Z"), "Asia/Tokyo")!;
  assert.deepEqual([days.startDate, days.startTime, days.endDate, days.endTime], ["2026-10-01", "00:00:00", "2026-10-02", "23:59:59"]);
  assert.equal(days.label, "2026-10-01 00:00:00 – 2026-10-02 23:59:59 (Asia/Tokyo)");
  // A range that ends mid-second (now) stops at the last whole second before it.
  const partial = consoleWindow(new Date("2026-10-01T00:00:00.500Z"), new Date("2026-10-01T00:00:10.250Z"), "UTC")!;
  assert.equal(partial.startTime, "00:00:01");
  assert.equal(partial.endTime, "00:00:10");
  assert.equal(consoleWindow(new Date("2026-10-01T00:00:00.100Z"), new Date("2026-10-01T00:00:00.900Z"), "UTC"), null);
});

test("a window splits into halves on a whole second, never inside one", () => {
  const day = consoleWindow(new Date("2026-10-01T00:00:00Z"), new Date("2026-10-02T00:00:00Z"), "UTC")!;
  const [a, b] = splitWindow(day, "UTC")!;
  assert.equal(a.endTime, "11:59:59");
  assert.equal(b.startTime, "12:00:00");
  assert.equal(a.to.getTime(), b.from.getTime());
  const odd = consoleWindow(new Date("2026-10-01T00:00:00Z"), new Date("2026-10-01T00:00:03Z"), "UTC")!;
  const [c, d] = splitWindow(odd, "UTC")!;
  assert.deepEqual([c.startTime, c.endTime, d.startTime, d.endTime], ["00:00:00", "00:00:00", "00:00:01", "00:00:02"]);
  assert.equal(splitWindow(consoleWindow(new Date("2026-10-01T00:00:00Z"), new Date("2026-10-01T00:00:01Z"), "UTC")!, "UTC"), null);
});

test("URLs in messages lose credentials and query", () => {
  assert.equal(safeUrl("https://u:secret@example.com/login?redirect=%2F&x=1#f"), "https://example.com/login");
});
