import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import iconv from "iconv-lite";
import { readConsoleCsv, detectEncoding, CsvRecordReader } from "../../src/sources/kintone/console-csv/index.ts";
import { InputError } from "../../src/core/errors.ts";
import type { Rejection } from "../../src/core/types.ts";
import type { ConsoleRow } from "../../src/sources/kintone/console-csv/read-console-csv.ts";

async function readAll(input: Parameters<typeof readConsoleCsv>[0], batchSize?: number) {
  const rows: ConsoleRow[] = [];
  const rejections: Rejection[] = [];
  const batches: number[] = [];
  for await (const batch of readConsoleCsv(input, { origin: "audit.csv", batchSize })) {
    rows.push(...batch.rows);
    rejections.push(...batch.rejections);
    batches.push(batch.rows.length);
  }
  return { rows, rejections, batches };
}

const jaBom = readFileSync("test/fixtures/console/ja-bom.csv");
const en = readFileSync("test/fixtures/console/en.csv");

test("a Japanese header with BOM: cells keyed by English names, lines of each row's first line", async () => {
  const { rows, rejections } = await readAll(jaBom);
  assert.equal(rejections.length, 0);
  assert.equal(rows.length, 7);
  assert.deepEqual(Object.keys(rows[0]!.cells), ["Date", "Level", "Service", "User", "IP Address", "User Agent", "Module", "Action", "Result", "Error Code", "Complement"]);
  // row 6 (line 7) has a complement with a CR LF inside quotes, so row 7 starts on line 9
  assert.deepEqual(rows.map((r) => r.line), [2, 3, 4, 5, 6, 7, 9]);
  assert.equal(rows[5]!.cells.Complement, 'パスワードポリシー, "strict"\r\nline two');
  assert.equal(rows[6]!.cells["User Agent"], 'Mozilla/5.0 "quoted", with comma');
  assert.deepEqual(rows.map((r) => r.ordinal), [0, 1, 0, 0, 0, 0, 0]);
});

test("an English header gives the same cells", async () => {
  const ja = await readAll(jaBom);
  const english = await readAll(en);
  assert.deepEqual(english.rows.map((r) => r.cells.Complement), ja.rows.map((r) => r.cells.Complement));
  assert.equal(english.rows[0]!.cells.Level, "Notice");
});

test("Shift-JIS (CP932) is detected and decoded, also when streamed one byte at a time", async () => {
  const text = jaBom.toString("utf8").replace(/^\uFEFF/, "");
  const sjis = iconv.encode(text, "cp932");
  assert.equal(detectEncoding(sjis, true), "cp932");
  assert.equal(detectEncoding(jaBom, true), "utf-8");
  const whole = await readAll(sjis);
  const expected = await readAll(jaBom);
  assert.deepEqual(whole.rows, expected.rows);
  const bytes = Readable.from((function* () {
    for (let i = 0; i < sjis.length; i++) yield sjis.subarray(i, i + 1);
  })());
  const streamed = await readAll(bytes);
  assert.deepEqual(streamed.rows, expected.rows);
});

test("UTF-8 split at every byte boundary reads the same as whole", async () => {
  const expected = await readAll(jaBom);
  for (const size of [1, 2, 3, 5, 7, 64]) {
    const chunks = Readable.from((function* () {
      for (let i = 0; i < jaBom.length; i += size) yield jaBom.subarray(i, i + size);
    })());
    assert.deepEqual((await readAll(chunks)).rows, expected.rows, `chunk size ${size}`);
  }
});

test("batches hold batchSize rows each", async () => {
  const { batches } = await readAll(jaBom, 3);
  assert.deepEqual(batches, [3, 3, 1]);
});

test("a row with a wrong cell count is rejected with its line; the rest is read", async () => {
  const { rows, rejections } = await readAll(readFileSync("test/fixtures/console/bad-middle.csv"));
  assert.deepEqual(rows.map((r) => r.line), [2, 3, 5, 6, 8]);
  assert.deepEqual(rejections, [{ origin: "audit.csv", locator: "line 4", reason: "the row has 3 cells, the header has 11" }]);
});

test("a quote that never closes loses only its line", async () => {
  const csv = 'Date,User,Action\n2026/10/01 10:00:00,a,login\n2026/10/01 09:00:00,"b,login\n2026/10/01 08:00:00,c,logout\n';
  const { rows, rejections } = await readAll(Buffer.from(csv));
  assert.deepEqual(rows.map((r) => [r.line, r.cells.User]), [[2, "a"], [4, "c"]]);
  assert.equal(rejections.length, 1);
  assert.equal(rejections[0]!.locator, "line 3");
  assert.match(rejections[0]!.reason, /never closed/);
});

test("unknown columns keep their header; identical rows count per Date", async () => {
  const csv = "Date,User,Action,Tenant Note\n" +
    "2026/10/01 10:00:00,a,login,x\n2026/10/01 10:00:00,a,login,x\n2026/10/01 10:00:00,b,login,x\n2026/10/01 09:00:00,a,login,x\n2026/10/01 10:00:00,a,login,x\n";
  const { rows } = await readAll(Buffer.from(csv));
  assert.equal(rows[0]!.cells["Tenant Note"], "x");
  assert.deepEqual(rows.map((r) => r.ordinal), [0, 1, 0, 0, 2]);
});

test("blank lines are skipped; a last row without a line end is read", async () => {
  const { rows } = await readAll(Buffer.from("Date,User,Action\r\n\r\n2026/10/01 10:00:00,a,login\r\n\r\n2026/10/01 09:00:00,b,\"x\"\"y\""));
  assert.deepEqual(rows.map((r) => [r.line, r.cells.Action]), [[3, "login"], [5, 'x"y']]);
});

test("a header that is not a console header is one InputError naming the file", async () => {
  await assert.rejects(readAll(Buffer.from("name,email\nalice,a@example.com\n")), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /^audit\.csv: line 1 is not a console audit-log header/);
    return true;
  });
  await assert.rejects(readAll(Buffer.from("")), /audit\.csv: the file is empty/);
});

test("the record reader handles CR LF, quotes at chunk ends and text after a closing quote", () => {
  const reader = new CsvRecordReader();
  const first = reader.push('a,"b""');
  assert.equal(first.records.length, 0);
  const second = reader.push('c"tail,d\r\n"x\r\ny",z\n');
  const rest = reader.end();
  assert.deepEqual([...second.records, ...rest.records], [
    { line: 1, cells: ["a", 'b"ctail', "d"] },
    { line: 2, cells: ["x\r\ny", "z"] },
  ]);
});
