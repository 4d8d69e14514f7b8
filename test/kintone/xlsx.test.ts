/**
 * The console's XLSX audit-log archives (the same columns as its CSV) import through `kansa
 * import`'s files reader with the ids and fields of the CSV of the same entries. The workbooks
 * are written here, at test time, with exceljs from the CSV fixtures' rows.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { AuditEvent } from "../../src/core/types.ts";
import { normalizeBatch } from "../../src/normalize/index.ts";
import { loadConfig } from "../../src/sources/config.ts";
import { readOneFile, type FileItem } from "../../src/sources/files/index.ts";
import { readConsoleCsv } from "../../src/sources/kintone/console-csv/index.ts";
import { kintone } from "../../src/sources/kintone/index.ts";
import { fileFormats } from "../../src/sources/registry.ts";
import { removeTempDirs, tempDir } from "./helpers.ts";

const config = loadConfig({ REPORT_TIMEZONE: "Asia/Tokyo", LOG_LEVEL: "silent" });
const dir = tempDir("kansa-xlsx-");
after(removeTempDirs);

/** The header and rows of a CSV fixture, as its cells (the header as written). */
async function csvTable(path: string): Promise<{ header: string[]; rows: string[][] }> {
  const text = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  const headerLine = text.slice(0, text.search(/\r?\n/));
  const header = headerLine.split(",").map((cell) => cell.replace(/^"|"$/g, ""));
  const rows: string[][] = [];
  for await (const batch of readConsoleCsv(readFileSync(path), { origin: path })) {
    for (const row of batch.rows) rows.push(Object.values(row.cells));
  }
  return { header, rows };
}

/** A cell as Excel writes it: the carriage return of a CR LF escaped as `_x000D_` (a literal `_x` as `_x005F_x`). */
const excelText = (cell: string) => cell.replace(/_x/g, "_x005F_x").replace(/\r/g, "_x000D_");

/** Write `table` as an XLSX workbook (cells as Excel writes them); `datesAsCells` writes the Date column as date cells, as Excel shows them. */
async function writeXlsx(name: string, table: { header: string[]; rows: string[][] }, datesAsCells = false): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("監査ログ");
  sheet.addRow(table.header);
  for (const row of table.rows) {
    if (!datesAsCells) {
      sheet.addRow(row.map(excelText));
      continue;
    }
    const [date, ...rest] = row.map(excelText);
    const [y, mo, d, h, mi, s] = date!.split(/[/ :]/).map(Number);
    // exceljs keeps a date cell's wall time as UTC (a workbook has no zone).
    sheet.addRow([new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!)), ...rest]);
  }
  if (datesAsCells) sheet.getColumn(1).numFmt = "yyyy/mm/dd hh:mm:ss";
  const path = join(dir, name);
  await workbook.xlsx.writeFile(path);
  return path;
}

async function importFile(path: string): Promise<{ events: AuditEvent[]; items: FileItem[] }> {
  const items: FileItem[] = [];
  const events: AuditEvent[] = [];
  // Every registered format looks at the file, as in `kansa import`.
  for await (const item of readOneFile(path, statSync(path).size, { formats: fileFormats(), config: {} })) {
    items.push(item);
    if (item.kind === "batch") events.push(...normalizeBatch(item.batch, kintone.normalize, config).events);
  }
  return { events, items };
}

/** What must be equal between the CSV's and the XLSX's event of the same entry. */
function fields(event: AuditEvent) {
  const { externalId, occurredAt, account, action, ip, appId, appName, userAgent, level, result, isExport, isCritical, isLogin, isFailedLogin, raw } = event;
  return { externalId, occurredAt: occurredAt.toISOString(), account, action, ip, appId, appName, userAgent, level, result, isExport, isCritical, isLogin, isFailedLogin, raw };
}

// The documented actions' fixture is in a folder of its own: `kansa import test/fixtures/console` has its own counts (test/cli).
for (const csvPath of ["test/fixtures/console/en.csv", "test/fixtures/console/ja-bom.csv", "test/fixtures/console-documented/audit-log.csv"]) {
  const fixture = csvPath.split("/").slice(-2).join("-");
  test(`an XLSX archive of ${csvPath}'s rows gives the CSV's ids and fields, with text or date cells`, async () => {
    const fromCsv = (await importFile(csvPath)).events.map(fields);
    assert.ok(fromCsv.length > 0);
    const table = await csvTable(csvPath);
    for (const dates of [false, true]) {
      const xlsx = await writeXlsx(`${fixture}-${dates}.xlsx`, table, dates);
      const { events, items } = await importFile(xlsx);
      assert.deepEqual(items.filter((i) => i.kind === "file-error"), []);
      assert.deepEqual(items.filter((i) => i.kind === "file-end").map((i) => (i as { detail: string }).detail), ["console XLSX"]);
      assert.deepEqual(events.map(fields), fromCsv);
    }
  });
}

test("the console's same-second identical rows keep their ordinals, so their ids differ as in the CSV", async () => {
  const { events } = await importFile(await writeXlsx("twins.xlsx", await csvTable("test/fixtures/console/en.csv")));
  const exports = events.filter((e) => e.action === "Record export");
  assert.equal(exports.length, 2);
  assert.notEqual(exports[0]!.externalId, exports[1]!.externalId);
});

test("a malformed XLSX is one file error naming the file; a workbook of another table names its header row", async () => {
  const good = await writeXlsx("good.xlsx", await csvTable("test/fixtures/console/en.csv"));
  const bytes = readFileSync(good);
  const cut = join(dir, "cut.xlsx");
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const broken = (await importFile(cut)).items.filter((i) => i.kind === "file-error");
  assert.equal(broken.length, 1);
  assert.match((broken[0] as { reason: string }).reason, /cut\.xlsx: not a readable XLSX workbook/);

  const other = await writeXlsx("other.xlsx", { header: ["Name", "Price"], rows: [["apple", "3"]] });
  const wrong = (await importFile(other)).items.filter((i) => i.kind === "file-error");
  assert.equal(wrong.length, 1);
  assert.match((wrong[0] as { reason: string }).reason, /other\.xlsx: row 1 is not a console audit-log header/);
});

test("a row wider than the header is rejected with its sheet row; the others are read", async () => {
  const table = await csvTable("test/fixtures/console/en.csv");
  const wide = { header: table.header, rows: [table.rows[2]!, [...table.rows[3]!, "extra"]] };
  const { events, items } = await importFile(await writeXlsx("wide.xlsx", wide));
  assert.equal(events.length, 1);
  const rejections = items.flatMap((i) => (i.kind === "batch" ? i.rejections : []));
  assert.deepEqual(rejections.map((r) => [r.locator, r.reason]), [["row 3", "the row has 12 cells, the header has 11"]]);
});
