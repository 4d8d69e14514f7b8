// Issue 21 (hostile input), the console CSV reader's part: a cell never becomes rows, identical
// rows of one second cost linear time, rejections never pile up in memory, and an odd invalid
// row of a UTF-8 file is rejected alone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { Readable } from "node:stream";
import iconv from "iconv-lite";
import { readConsoleCsv, CONSOLE_COLUMNS } from "../../src/sources/kintone/console-csv/index.ts";
import { MAX_RECORD_CHARS } from "../../src/sources/kintone/console-csv/csv-records.ts";
import { consoleRowId } from "../../src/sources/kintone/normalize.ts";
import type { Rejection } from "../../src/core/types.ts";
import type { ConsoleRow } from "../../src/sources/kintone/console-csv/read-console-csv.ts";

const HEADER = "Date,Level,Service,User,IP Address,User Agent,Module,Action,Result,Error Code,Complement\n";
const FORGED = "2026/10/01 03:12:00,Notice,kintone,ceo@example.co.jp,198.51.100.7,Mozilla/5.0,Authentication,Login,SUCCESS,,";

function row(user: string, userAgent: string, date = "2026/10/01 10:00:00"): string {
  return `${date},Information,Common,${user},203.0.113.10,${userAgent},Authentication,Login,SUCCESS,,\n`;
}

async function readAll(input: Parameters<typeof readConsoleCsv>[0]) {
  const rows: ConsoleRow[] = [];
  const rejections: Rejection[] = [];
  for await (const batch of readConsoleCsv(input, { origin: "audit.csv" })) {
    rows.push(...batch.rows);
    rejections.push(...batch.rejections);
  }
  return { rows, rejections };
}

/** The same bytes in 64 KiB chunks, as a file stream gives them. */
function chunked(bytes: Buffer): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < bytes.length; i += 65536) yield bytes.subarray(i, i + 65536);
  })());
}

/** A quoted user agent of `length` characters with a line break and a whole console row inside. */
function hostileCell(length: number): string {
  const inner = `x\n${FORGED}\n`;
  return `"${inner}${"y".repeat(length - inner.length)}"`;
}

for (const length of [1_000, 1_100_000, 50_000_000]) {
  test(`a quoted cell of ${length.toLocaleString("en")} characters holding a row is never read as rows`, async () => {
    const csv = Buffer.from(HEADER + row("before", "UA") + row("victim", hostileCell(length)) + row("after", "UA"));
    for (const input of [csv, chunked(csv)]) {
      const { rows, rejections } = await readAll(input);
      assert.ok(!rows.some((r) => r.cells.User === "ceo@example.co.jp"), "a forged row was read");
      if (length <= MAX_RECORD_CHARS) {
        assert.deepEqual(rows.map((r) => [r.line, r.cells.User]), [[2, "before"], [3, "victim"], [6, "after"]]);
        assert.equal(rows[1]!.cells["User Agent"]!.length, length);
        assert.deepEqual(rejections, []);
      } else {
        assert.deepEqual(rows.map((r) => [r.line, r.cells.User]), [[2, "before"], [6, "after"]]);
        assert.equal(rejections.length, 1);
        assert.equal(rejections[0]!.locator, "line 3");
        assert.equal(rejections[0]!.origin, "audit.csv");
        assert.match(rejections[0]!.reason, new RegExp(`longer than ${MAX_RECORD_CHARS} characters`));
      }
    }
  });
}

test("a quote that never closes past the bound is one rejection and forges nothing", async () => {
  const csv = Buffer.from(HEADER + row("before", "UA") + row("victim", `"x\n${FORGED}\n${"y".repeat(MAX_RECORD_CHARS)}`));
  for (const input of [csv, chunked(csv)]) {
    const { rows, rejections } = await readAll(input);
    assert.deepEqual(rows.map((r) => r.cells.User), ["before"]);
    assert.equal(rejections.length, 1);
    assert.equal(rejections[0]!.locator, "line 3");
    assert.match(rejections[0]!.reason, /never closed/);
  }
});

test("a 50 MB unquoted cell is one rejection; the four rows around it are read", async () => {
  const csv = Buffer.from(HEADER + row("a", "UA") + row("b", "UA") + row("big", "z".repeat(50_000_000)) + row("c", "UA") + row("d", "UA"));
  for (const input of [csv, chunked(csv)]) {
    const { rows, rejections } = await readAll(input);
    assert.deepEqual(rows.map((r) => [r.line, r.cells.User]), [[2, "a"], [3, "b"], [5, "c"], [6, "d"]]);
    assert.equal(rejections.length, 1);
    assert.equal(rejections[0]!.locator, "line 4");
  }
});

/** The ordinal as first defined: earlier rows of the same Date (last 64 Dates) with equal known cells. */
function oldOrdinals(rows: Record<string, string>[]): number[] {
  const byDate = new Map<string, Record<string, string>[]>();
  return rows.map((cells) => {
    const date = cells.Date ?? "";
    let earlier = byDate.get(date);
    if (!earlier) {
      earlier = [];
      byDate.set(date, earlier);
      if (byDate.size > 64) byDate.delete(byDate.keys().next().value as string);
    }
    let ordinal = 0;
    for (const other of earlier) if (CONSOLE_COLUMNS.every((c) => (other[c] ?? "") === (cells[c] ?? ""))) ordinal += 1;
    earlier.push(cells);
    return ordinal;
  });
}

function quote(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

test("ordinals (and so ids) are those of the first definition on a tricky sample", async () => {
  // Cells that a naive join would confuse, unknown columns that differ, a Date that comes back
  // after more than 64 others, and missing vs empty cells.
  const tricky = ["a", "a,b", 'a","b', "a\nb", "", "\u0000", '["a"]', "a\\", "\\"];
  const lines: string[][] = [];
  let seed = 7;
  const pick = <T>(list: T[]): T => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return list[(seed >>> 16) % list.length]!;
  };
  for (let i = 0; i < 3000; i++) {
    const date = i % 500 < 100 ? `2026/10/01 10:00:${String(pick([0, 1, 2])).padStart(2, "0")}` : `2026/10/01 ${String(8 + (i % 90) / 10 | 0).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:00`;
    const cells = [date, pick(["Notice", "Information"]), "Common", pick(tricky), pick(tricky), pick(["UA", "UA,2"]), "Authentication", pick(tricky), "SUCCESS", "", pick(tricky)];
    const copies = pick([1, 1, 2, 6]);
    for (let c = 0; c < copies; c++) lines.push([...cells, pick(["n1", "n2"])]);
  }
  const csv = HEADER.replace("\n", ",Note\n") + lines.map((cells) => cells.map(quote).join(",") + "\n").join("");
  const { rows, rejections } = await readAll(Buffer.from(csv));
  assert.deepEqual(rejections, []);
  assert.equal(rows.length, lines.length);
  const expected = oldOrdinals(rows.map((r) => r.cells));
  assert.ok(expected.some((o) => o > 3), "the sample has repeated rows");
  assert.deepEqual(rows.map((r) => r.ordinal), expected);
  const ids = rows.map((r) => consoleRowId(r, null));
  const oldIds = rows.map((r, i) => consoleRowId({ ...r, ordinal: expected[i]! }, null));
  assert.deepEqual(ids, oldIds);
});

test("200,000 identical rows of one second get ordinals 0 to 199,999 (the first definition took hours)", async () => {
  const line = row("sato", "Mozilla/5.0");
  const csv = Buffer.from(HEADER + line.repeat(200_000));
  let n = 0;
  for await (const batch of readConsoleCsv(csv, { origin: "audit.csv" })) {
    for (const r of batch.rows) {
      assert.equal(r.ordinal, n);
      n += 1;
    }
  }
  assert.equal(n, 200_000);
});

test("200 MB of bad rows (gzip stream) are counted, in batches, within a 256 MB heap", () => {
  const script = `
    import { createGzip, createGunzip } from "node:zlib";
    import { Readable, pipeline, PassThrough } from "node:stream";
    const { readConsoleCsv } = await import(${JSON.stringify(new URL("../../src/sources/kintone/console-csv/index.ts", import.meta.url).href)});
    const header = Buffer.from(${JSON.stringify(HEADER)});
    const bad = Buffer.from("2026/10/01 10:00:00,bad,row\\n".repeat(40000));
    const total = 200 * 1024 * 1024;
    const source = Readable.from((function* () {
      yield header;
      for (let sent = 0; sent < total; sent += bad.length) yield bad;
    })());
    const gunzipped = new PassThrough();
    pipeline(source, createGzip({ level: 1 }), createGunzip(), gunzipped, () => {});
    let rejected = 0, rows = 0, batches = 0, maxBatch = 0, peak = 0;
    for await (const batch of readConsoleCsv(gunzipped, { origin: "bad.csv.gz" })) {
      rejected += batch.rejections.length; rows += batch.rows.length; batches += 1;
      maxBatch = Math.max(maxBatch, batch.rejections.length);
      if (batches % 100 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(JSON.stringify({ rejected, rows, batches, maxBatch, peak, expected: Math.ceil(total / bad.length) * 40000 }));
  `;
  const child = spawnSync(process.execPath, ["--import", "tsx", "--max-old-space-size=256", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 120_000 });
  assert.equal(child.status, 0, child.stderr);
  const result = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as { rejected: number; rows: number; maxBatch: number; peak: number; expected: number };
  assert.equal(result.rows, 0);
  assert.equal(result.rejected, result.expected);
  // A batch holds up to batchSize rejections plus those of one 64 Ki-character piece of text.
  assert.ok(result.maxBatch <= 1000 + 65536 / 2, `a batch held ${result.maxBatch} rejections`);
  assert.ok(result.peak < 600 * 1024 * 1024, `peak RSS ${result.peak}`);
});

test("one Shift-JIS row in a UTF-8 file is rejected alone; the others read as UTF-8 with a clean export's ids", async () => {
  const names = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村"];
  const good = names.map((name, i) => row(name, "Mozilla/5.0", `2026/10/01 10:00:0${i}`));
  const clean = Buffer.from(HEADER + good.join(""));
  const odd = Buffer.concat([
    Buffer.from(HEADER + good.slice(0, 4).join("")),
    iconv.encode(row("小林", "Mozilla/5.0", "2026/10/01 09:59:59"), "cp932"),
    Buffer.from(good.slice(4).join("")),
  ]);
  const expected = await readAll(clean);
  for (const input of [odd, chunked(odd)]) {
    const { rows, rejections } = await readAll(input);
    assert.deepEqual(rejections, [{ origin: "audit.csv", locator: "line 6", reason: "the row is not valid UTF-8" }]);
    assert.deepEqual(rows.map((r) => r.cells.User), names);
    assert.deepEqual(rows.map((r) => consoleRowId(r, null)), expected.rows.map((r) => consoleRowId(r, null)));
  }
  // A real Shift-JIS export is still read as Shift-JIS.
  const sjis = await readAll(iconv.encode(clean.toString("utf8"), "cp932"));
  assert.deepEqual(sjis.rejections, []);
  assert.deepEqual(sjis.rows.map((r) => r.cells.User), names);
});
