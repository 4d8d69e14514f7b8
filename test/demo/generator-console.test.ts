import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import {
  CONSOLE_COLUMNS, CONSOLE_HEADER_JA, buildOrganisation, calendarDays, encodeConsoleCsv, generateConsoleRows, generateDataset,
  HOSTILE_APP_NAME, localizeConsoleCells, writeConsoleCsv, writeSample, type ConsoleCells,
} from "../../src/tools/generator/index.ts";
import { minuteOfDay } from "./generator-helpers.ts";

const org = buildOrganisation({ seed: 21 });
const month = generateConsoleRows(org, { from: "2026-09-01", to: "2026-09-30" });

test("volumes are exact: perDay × days, or total", () => {
  assert.equal(month.length, 1500 * 30);
  assert.equal(generateConsoleRows(org, { from: "2026-09-01", to: "2026-09-14", perDay: 400 }).length, 5600);
  assert.equal(generateConsoleRows(org, { from: "2026-09-01", to: "2026-09-03", perDay: 10_000 }).length, 30_000);
  assert.equal(generateConsoleRows(org, { from: "2026-09-01", to: "2026-09-30", total: 12_345 }).length, 12_345);
  assert.equal(generateConsoleRows(org, { from: "2026-09-01", to: "2026-09-01", total: 0 }).length, 0);
});

test("rows are newest first, inside the range, in the console's cell formats", () => {
  const levels = new Set(["重要", "情報"]);
  const services = new Set(["共通", "kintone"]);
  const modules = new Set(["Authentication", "User Administration", "App operation", "App management", "API operation", "System administration"]);
  const results = new Set(["SUCCESS", "FAILED", "VALIDATION ERROR"]);
  for (let i = 0; i < month.length; i++) {
    const row = month[i]!;
    const c = row.cells;
    assert.deepEqual(Object.keys(c), [...CONSOLE_COLUMNS]);
    assert.match(c.Date, /^2026-09-\d{2} \d{2}:\d{2}:\d{2}$/);
    if (i > 0) assert.ok(month[i - 1]!.time >= row.time, `row ${i} is older than the one before`);
    // The cell is the Tokyo wall time of the instant.
    assert.equal(c.Date, new Date(row.time + 9 * 3600_000).toISOString().slice(0, 19).replace("T", " "));
    assert.ok(levels.has(c.Level) && services.has(c.Service) && modules.has(c.Module) && results.has(c.Result), JSON.stringify(c));
    assert.equal(c["Error Code"] === "", c.Result === "SUCCESS", JSON.stringify(c));
  }
  const appOp = month.find((r) => r.cells.Module === "App operation" && r.cells.Action === "Record edit")!;
  assert.match(appOp.cells.Complement, /^app id: \d+, app name: [^,]+, record id: \d+$/);
});

test("the organisation has varied logins, offices, VPN, IPv6, roles and work patterns", () => {
  assert.equal(org.people.length, 80);
  assert.ok(org.people.some((p) => /^[a-z]\.[a-z]+\d?@example\.co\.jp$/.test(p.login)));
  assert.ok(org.people.some((p) => !p.login.includes("@")), "some plain ids");
  assert.equal(new Set(org.people.map((p) => p.login)).size, 80);
  assert.equal(org.people.filter((p) => p.role === "admin").length, 3);
  assert.ok(org.people.filter((p) => p.role === "exporter").length >= 3);
  for (const pattern of ["early", "regular", "late", "shift"] as const) assert.ok(org.people.some((p) => p.pattern === pattern), pattern);
  assert.ok(org.people.some((p) => p.ipv6 !== null));
  assert.ok(org.people.some((p) => p.officeIp.startsWith("203.0.113.")) && org.people.some((p) => p.officeIp.startsWith("198.51.100.")));
  assert.deepEqual(buildOrganisation({ seed: 21 }), org);
  assert.equal(buildOrganisation({ seed: 21, people: 12 }).people.length, 12);
});

test("most of a person's logins fall inside their usual hours", () => {
  let inside = 0;
  let total = 0;
  for (const person of org.people) {
    const logins = month.filter((r) => r.cells.User === person.login && r.cells.Action === "login" && r.cells.Result === "SUCCESS");
    for (const row of logins) {
      const m = minuteOfDay(row.cells.Date);
      const start = person.startMinute - 60;
      const end = person.endMinute + 120;
      const within = (m >= start && m <= end) || (end > 1440 && m <= end - 1440);
      if (within) inside++;
      total++;
    }
  }
  assert.ok(total > 1000, `only ${total} logins`);
  assert.ok(inside / total > 0.9, `${inside} of ${total} logins inside usual hours`);
});

test("weekends are quiet, lunch dips, the nightly integration runs 01:00–03:00 from its server", () => {
  const days = calendarDays("2026-09-01", "2026-09-30");
  const perDay = new Map<string, number>();
  for (const r of month) perDay.set(r.cells.Date.slice(0, 10), (perDay.get(r.cells.Date.slice(0, 10)) ?? 0) + 1);
  const avg = (list: number[]): number => list.reduce((s, x) => s + x, 0) / list.length;
  const workday = avg(days.filter((d) => !d.isDayOff).map((d) => perDay.get(d.key) ?? 0));
  const dayOff = avg(days.filter((d) => d.isDayOff).map((d) => perDay.get(d.key) ?? 0));
  assert.ok(dayOff < workday * 0.2, `day off ${dayOff} vs workday ${workday}`);

  const hour = (h: number): number => month.filter((r) => Number(r.cells.Date.slice(11, 13)) === h && r.cells.User !== org.integration.login).length;
  assert.ok(hour(12) < hour(10) * 0.6, `12h ${hour(12)} vs 10h ${hour(10)}`);

  const api = month.filter((r) => r.cells.User === org.integration.login);
  assert.ok(api.length > 0);
  for (const r of api) {
    assert.equal(r.cells.Module, "API operation");
    assert.equal(r.cells["IP Address"], org.integration.ip);
    const m = minuteOfDay(r.cells.Date);
    assert.ok(m >= 60 && m < 180, r.cells.Date);
  }
  assert.equal(new Set(api.map((r) => r.cells.Date.slice(0, 10))).size, 30, "every night");
});

test("admins do routine Notice work, exporters export, nobody and failed logins appear", () => {
  const admins = new Set(org.people.filter((p) => p.role === "admin").map((p) => p.login));
  const notice = month.filter((r) => ["configure security setting", "export user"].includes(r.cells.Action));
  assert.ok(notice.length >= 10);
  for (const r of notice) {
    assert.ok(admins.has(r.cells.User), r.cells.User);
    assert.equal(r.cells.Level, "重要");
    assert.equal(r.cells.Service, "共通");
  }
  const exporters = new Set(org.people.filter((p) => p.role === "exporter").map((p) => p.login));
  const exports = month.filter((r) => r.cells.Action === "Record export");
  const byExporters = exports.filter((r) => exporters.has(r.cells.User)).length;
  assert.ok(byExporters > exports.length * 0.7, `${byExporters} of ${exports.length} exports by heavy exporters`);
  assert.ok(month.some((r) => r.cells.User === "nobody"));
  const failed = month.filter((r) => r.cells.Action === "login" && r.cells.Result === "FAILED");
  assert.ok(failed.length > 10 && failed.every((r) => r.cells["Error Code"] === "CB_WA01"));
  assert.ok(month.some((r) => r.cells.Result === "VALIDATION ERROR"));
});

const hostileData = generateDataset({ seed: 5, from: "2026-10-01", to: "2026-10-07", consolePerDay: 150, auth0PerDay: 10, people: 20, hostile: true });

function parseCsv(text: string): { header: string[]; rows: Record<string, string>[] } {
  const records = parse(text, { bom: true, relax_column_count: false }) as string[][];
  const header = records[0] ?? [];
  return { header, rows: records.slice(1).map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]))) };
}

function expectRoundTrip(parsed: { header: string[]; rows: Record<string, string>[] }, lang: "ja" | "en"): void {
  assert.deepEqual(parsed.header, CONSOLE_COLUMNS.map((c) => (lang === "ja" ? CONSOLE_HEADER_JA[c] : c)));
  assert.equal(parsed.rows.length, hostileData.consoleRows.length);
  parsed.rows.forEach((row, i) => {
    const expected = localizeConsoleCells(hostileData.consoleRows[i]!.cells, lang);
    for (const column of CONSOLE_COLUMNS) assert.equal(row[lang === "ja" ? CONSOLE_HEADER_JA[column] : column], expected[column], `row ${i} ${column}`);
  });
}

test("the hostile rows are there: HTML, quotes, commas, newlines, masked and IPv6 addresses, empty user", () => {
  const cells = hostileData.consoleRows.map((r) => r.cells);
  const has = (f: (c: ConsoleCells) => boolean): boolean => cells.some(f);
  assert.ok(has((c) => c.Complement.includes(HOSTILE_APP_NAME)));
  assert.ok(has((c) => c.User.includes('"') && c.User.includes(",")));
  assert.ok(has((c) => c.User.includes("\n")));
  assert.ok(has((c) => c.Complement.includes("\r\n")));
  assert.ok(has((c) => c["IP Address"] === "xx.xxx.xxx.xx"));
  assert.ok(has((c) => c["IP Address"].includes(":")));
  assert.ok(has((c) => c.User === ""));
  assert.equal(hostileData.hostile.filter((h) => h.source === "kintone").length, 9);
});

test("CSV round trip (Japanese, UTF-8 with BOM): csv-parse gives back every cell", () => {
  const buf = encodeConsoleCsv(hostileData.consoleRows, { lang: "ja" });
  assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  expectRoundTrip(parseCsv(buf.toString("utf8")), "ja");
});

test("CSV round trip (English, UTF-8 without BOM, minimal quoting): levels and services in English", () => {
  const buf = encodeConsoleCsv(hostileData.consoleRows, { lang: "en", quote: "needed" });
  assert.notEqual(buf[0], 0xef);
  const parsed = parseCsv(buf.toString("utf8"));
  expectRoundTrip(parsed, "en");
  assert.ok(parsed.rows.some((r) => r.Level === "Information") && parsed.rows.every((r) => r.Level === "Notice" || r.Level === "Information"));
  assert.ok(parsed.rows.every((r) => r.Service !== "共通"));
});

test("CSV round trip (Shift-JIS): the bytes decode with iconv-lite as cp932 and as Shift_JIS", () => {
  const buf = encodeConsoleCsv(hostileData.consoleRows, { lang: "ja", encoding: "sjis" });
  assert.throws(() => new TextDecoder("utf-8", { fatal: true }).decode(buf), "Shift-JIS bytes are not valid UTF-8");
  // The same bytes as iconv-lite encoding the whole UTF-8 text.
  const utf8 = encodeConsoleCsv(hostileData.consoleRows, { lang: "ja", encoding: "utf8" }).toString("utf8");
  assert.ok(buf.equals(iconv.encode(utf8, "cp932")));
  expectRoundTrip(parseCsv(iconv.decode(buf, "cp932")), "ja");
  expectRoundTrip(parseCsv(iconv.decode(buf, "Shift_JIS")), "ja");
});

test("writeConsoleCsv streams the same bytes as encodeConsoleCsv; writeSample splits per month and per week", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kansa-csv-"));
  try {
    const path = join(dir, "nested", "out.csv");
    const written = await writeConsoleCsv(hostileData.consoleRows, path, { lang: "ja", encoding: "sjis" });
    const bytes = await readFile(path);
    assert.equal(written.rows, hostileData.consoleRows.length);
    assert.equal(written.bytes, bytes.length);
    assert.ok(bytes.equals(encodeConsoleCsv(hostileData.consoleRows, { lang: "ja", encoding: "sjis" })));

    const sample = await writeSample(join(dir, "monthly"), { seed: 3, from: "2026-09-28", to: "2026-10-03", consolePerDay: 100, auth0PerDay: 10, people: 20 });
    assert.deepEqual(sample.consoleFiles.map((f) => f.slice(-22)), ["audit-log_2026-09.csv", "audit-log_2026-10.csv"].map((n) => `/${n}`.slice(-22)));
    let rows = 0;
    for (const file of sample.consoleFiles) rows += parseCsv((await readFile(file, "utf8"))).rows.length;
    assert.equal(rows, sample.consoleRows);
    assert.equal(sample.consoleRows, 600);

    const weekly = await writeSample(join(dir, "weekly"), { seed: 3, from: "2026-09-28", to: "2026-10-11", consolePerDay: 50, auth0PerDay: 5, people: 20, split: "week" });
    assert.deepEqual(weekly.consoleFiles.map((f) => f.split("/").pop()), ["audit-log_2026-09-28.csv", "audit-log_2026-10-05.csv"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("times are right across daylight-saving changes (America/New_York)", () => {
  const ny = buildOrganisation({ seed: 2, people: 20, timezone: "America/New_York" });
  const format = new Intl.DateTimeFormat("sv-SE", { timeZone: "America/New_York", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  for (const [from, to] of [["2026-03-07", "2026-03-09"], ["2026-10-31", "2026-11-02"]] as const) {
    const rows = generateConsoleRows(ny, { from, to, perDay: 400 });
    assert.equal(rows.length, 1200);
    for (const row of rows) {
      assert.equal(row.cells.Date, format.format(new Date(row.time)), `instant ${new Date(row.time).toISOString()}`);
      assert.ok(row.cells.Date.slice(0, 10) >= from && row.cells.Date.slice(0, 10) <= to);
    }
  }
});
