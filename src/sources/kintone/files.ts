/**
 * The console's files `kansa import` reads: audit-log CSV exports (Japanese or English header;
 * UTF-8 with or without BOM, Shift-JIS), read by the same reader as the scraper's downloads, so
 * imported and scraped entries are identical, and the XLSX archives of the same columns, whose
 * entries get the ids of the CSV's. Their tenant: --tenant, else KINTONE_TENANT, else the host of
 * KINTONE_HOSTNAME, else "console".
 */
import iconv from "iconv-lite";
import type { FileBatch, FileFormat, FileReadContext } from "../contract.ts";
import { mapHeader } from "./console-csv/columns.ts";
import { CsvRecordReader } from "./console-csv/csv-records.ts";
import { detectEncoding } from "./console-csv/encoding.ts";
import { readConsoleCsv, rowRecords } from "./console-csv/read-console-csv.ts";
import { looksLikeXlsx, readConsoleXlsx } from "./console-csv/read-console-xlsx.ts";
import { firstContentByte } from "../files/detect-format.ts";
import { tenantNamedBy } from "../files/tenant.ts";

/** The tenant of imported console CSV when nothing names one. */
export const DEFAULT_CONSOLE_TENANT = "console";

/** The tenant settings console imports read. */
export interface ConsoleTenantSettings {
  /** `--tenant` on the command line: wins. */
  override?: string | undefined;
  kintoneTenant?: string | undefined;
  kintoneHostname?: string | undefined;
}

/** Console CSV: --tenant, else KINTONE_TENANT, else the host of KINTONE_HOSTNAME, else "console". */
export function importedConsoleTenant(settings: ConsoleTenantSettings): string {
  return tenantNamedBy(settings.override, settings.kintoneTenant, settings.kintoneHostname) ?? DEFAULT_CONSOLE_TENANT;
}

/** Whether a file's first bytes hold a console audit-log header (any supported encoding). */
function isConsoleCsv(sample: Buffer, complete: boolean): boolean {
  const i = firstContentByte(sample);
  if (i >= sample.length || sample[i] === 0x7b || sample[i] === 0x5b) return false;
  const text = iconv.decode(sample, detectEncoding(sample, complete));
  const reader = new CsvRecordReader();
  const { records } = reader.push(text);
  const first = records[0] ?? (complete ? reader.end().records[0] : undefined);
  return first !== undefined && mapHeader(first.cells) !== null;
}

async function* readConsoleFile(chunks: AsyncIterable<Buffer>, context: FileReadContext): AsyncGenerator<FileBatch, string> {
  const { file, sample, config } = context;
  const tenant = importedConsoleTenant({ override: context.tenant, kintoneTenant: config.kintoneTenant, kintoneHostname: config.kintoneHostname });
  if (looksLikeXlsx(sample)) {
    for await (const { rows, rejections } of readConsoleXlsx(chunks, { origin: file, batchSize: context.batchSize })) {
      yield { batch: { source: "kintone", records: rowRecords(rows, "row"), origin: file, tenant }, rejections, read: rows.length + rejections.length };
    }
    return "console XLSX";
  }
  const encoding = detectEncoding(sample, context.complete);
  const bom = sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf;
  for await (const { rows, rejections } of readConsoleCsv(chunks, { origin: file, batchSize: context.batchSize, encoding })) {
    yield { batch: { source: "kintone", records: rowRecords(rows), origin: file, tenant }, rejections, read: rows.length + rejections.length };
  }
  const encodingText = encoding === "cp932" ? "Shift-JIS" : encoding === "utf-8" ? (bom ? "UTF-8 with BOM" : "UTF-8") : encoding.toUpperCase();
  return `console CSV, ${encodingText}`;
}

/** Console audit-log CSV exports and XLSX archives. */
export const consoleFiles: FileFormat = {
  detect: (sample, complete) => (looksLikeXlsx(sample) || isConsoleCsv(sample, complete) ? "certain" : null),
  expected: "a console audit-log CSV with its header, or its XLSX archive",
  description: "console CSV (Japanese or English header; UTF-8, UTF-8 with BOM or Shift-JIS) and the console's XLSX archives (the same columns)",
  tenantHelp: 'KINTONE_TENANT, else the host of KINTONE_HOSTNAME, else "console" for console CSV and XLSX',
  read: readConsoleFile,
};
