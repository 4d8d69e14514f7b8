/** The console CSV format (the admin console's audit-log export) and its XLSX archives: readers and column names. */
export { readConsoleCsv, isConsoleHeader, rowRecords, type ReadConsoleCsvOptions, type ConsoleCsvBatch, type ByteSource } from "./read-console-csv.ts";
export { CONSOLE_COLUMNS, columnOf, mapHeader, canonicalValue, type ConsoleColumn } from "./columns.ts";
export { detectEncoding, type CsvEncoding } from "./encoding.ts";
export { CsvRecordReader, type CsvRecord, type CsvProblem } from "./csv-records.ts";
export { readConsoleXlsx, looksLikeXlsx, type ReadConsoleXlsxOptions } from "./read-console-xlsx.ts";
