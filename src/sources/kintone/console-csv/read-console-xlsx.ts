/**
 * The console's XLSX audit-log archives: cybozu.com offers the archives of logs older than six
 * weeks as CSV (UTF-8), CSV (Shift-JIS) or XLSX, with the CSV's columns ("Setting the audit log
 * retention period and file format", https://jp.cybozu.help/general/ja/admin/list_systemadmin/list_audit/set_audit.html).
 *
 *   for await (const { rows, rejections } of readConsoleXlsx(chunks, { origin: "audit.xlsx" })) ...
 *
 * Read with exceljs's streaming reader, so a year of log is never held whole. Each worksheet's
 * first row is its header (the CSV's, Japanese or English); cells are turned into the text the
 * CSV would hold (a date cell as `YYYY/MM/DD HH:MM:SS`, the time as shown, with no zone), so the
 * rows, ordinals and ids are those of the CSV of the same entries. A row is located by its sheet
 * row (`line` holds the row number). A file that is not a readable workbook, or a sheet without a
 * console header, is an InputError naming the file.
 *
 * exceljs is loaded when the first XLSX file is read, not with this module: loading it costs
 * about 20 MB of resident memory (measured: RSS 75 → 94 MB), which every other command and every
 * CSV-only import would carry for nothing.
 */
import { Readable } from "node:stream";
import type ExcelJS from "exceljs";
import { InputError, errorMessage } from "../../../core/errors.ts";
import type { Rejection } from "../../../core/types.ts";
import { consoleHeader, consoleRow, OrdinalCounter, type ConsoleCsvBatch } from "./read-console-csv.ts";

export interface ReadConsoleXlsxOptions {
  /** File path, used in rejections and errors. */
  origin: string;
  /** Rows per yielded batch (default 1000). */
  batchSize?: number;
}

/** The zip signature every XLSX file starts with. */
export function isZip(sample: Uint8Array): boolean {
  return sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04;
}

/** Whether a file's first bytes are an XLSX workbook's (a zip naming the workbook's parts). */
export function looksLikeXlsx(sample: Buffer): boolean {
  return isZip(sample) && (sample.includes("[Content_Types].xml") || sample.includes("xl/"));
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** A date cell as the console's CSV writes it: the wall time as shown (exceljs reads it as UTC). */
function dateText(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** Excel's day 0 for serial dates (1899-12-30), in ms since the epoch. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * A workbook's text with OOXML's escapes decoded: a character XML cannot carry as such is written
 * `_xHHHH_` (Excel writes the carriage return of a cell's CR LF as `_x000D_`; a literal `_x` as
 * `_x005F_x`). exceljs leaves them as written; without decoding, a multi-line complement would
 * not hash as the CSV's CR LF does.
 */
function decodeText(text: string): string {
  return text.includes("_x") ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

/** A cell's value as the CSV's text: rich text joined, a formula's result, a hyperlink's text. */
function cellText(value: ExcelJS.CellValue, isDateColumn: boolean): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : dateText(value);
  // A date column of bare serial numbers (no date format): days since Excel's epoch.
  if (typeof value === "number") return isDateColumn && value > 0 && value < 2_958_466 ? dateText(new Date(EXCEL_EPOCH_MS + Math.round(value * 86_400_000))) : String(value);
  if (typeof value === "string") return decodeText(value);
  if (typeof value !== "object") return String(value);
  if ("richText" in value) return decodeText(value.richText.map((part) => part.text).join(""));
  if ("formula" in value || "sharedFormula" in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, isDateColumn);
  if ("text" in value) return typeof value.text === "string" ? decodeText(value.text) : cellText(value.text as ExcelJS.CellValue, isDateColumn);
  if ("error" in value) return String(value.error);
  return "";
}

/** The row's cells as text, 1-based values to 0-based cells, trailing empty cells dropped. */
function rowCells(values: ExcelJS.CellValue[], dateColumn: number): string[] {
  const cells: string[] = [];
  for (let i = 1; i < values.length; i++) cells.push(cellText(values[i], i - 1 === dateColumn));
  while (cells.length > 0 && cells[cells.length - 1] === "") cells.pop();
  return cells;
}

/** Read a console XLSX archive into batches of rows (see the module comment). */
export async function* readConsoleXlsx(chunks: AsyncIterable<Uint8Array>, options: ReadConsoleXlsxOptions): AsyncGenerator<ConsoleCsvBatch> {
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const ordinals = new OrdinalCounter();
  const { default: excel } = await import("exceljs");
  const reader = new excel.stream.xlsx.WorkbookReader(Readable.from(chunks), { worksheets: "emit", sharedStrings: "cache", styles: "cache", hyperlinks: "ignore", entries: "ignore" });
  let rows: ConsoleCsvBatch["rows"] = [];
  let rejections: Rejection[] = [];
  let headers = 0;
  try {
    for await (const sheet of reader) {
      let header: string[] | null = null;
      let dateColumn = -1;
      for await (const row of sheet) {
        const values = row.values as ExcelJS.CellValue[];
        if (header === null) {
          const cells = rowCells(values, -1);
          if (cells.length === 0) continue;
          header = consoleHeader(cells, row.number, options.origin, "row");
          headers += 1;
          dateColumn = header.indexOf("Date");
          continue;
        }
        const cells = rowCells(values, dateColumn);
        if (cells.length === 0) continue; // an empty row
        // Trailing empty cells are not stored in a sheet: the row holds the header's width.
        while (cells.length < header.length) cells.push("");
        const read = consoleRow(header, cells, row.number, ordinals);
        if (typeof read === "string") rejections.push({ origin: options.origin, locator: `row ${row.number}`, reason: read });
        else rows.push(read);
        if (rows.length >= batchSize || rejections.length >= batchSize) {
          yield { rows, rejections };
          rows = [];
          rejections = [];
        }
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${options.origin}: not a readable XLSX workbook (${errorMessage(error)}).`, { details: { file: options.origin }, cause: error });
  }
  if (headers === 0) throw new InputError(`${options.origin}: the workbook is empty (no sheet with a header row).`, { details: { file: options.origin } });
  if (rows.length > 0 || rejections.length > 0) yield { rows, rejections };
}
