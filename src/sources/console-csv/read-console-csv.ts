/**
 * The console CSV reader: what the scraper downloads and what `kansa import` reads.
 *
 *   for await (const { rows, rejections } of readConsoleCsv(bytesOrStream, { origin: "audit.csv" })) ...
 *
 * Input: the file's bytes (Uint8Array/Buffer), a Node readable stream, or any async iterable
 * of byte chunks. The encoding is detected (UTF-8 with or without BOM, UTF-16 with BOM, else
 * Shift-JIS/CP932). The first record is the header, Japanese or English; cells are keyed by
 * the English column names (columns.ts), unknown columns by their own header text. Output is
 * batches of rows in file order, each row with the line its record starts on and its ordinal
 * among identical rows of the same Date. A row that cannot be read (a wrong number of cells, a
 * quote that never closes) is a rejection with its line; the rest of the file is still read.
 * A header that is not a console audit-log header is one InputError naming the file.
 * Memory stays within one batch plus one chunk, whatever the file's size.
 */
import iconv from "iconv-lite";
import { InputError } from "../../core/errors.ts";
import type { ConsoleRow, Rejection } from "../../core/types.ts";
import { CONSOLE_COLUMNS, mapHeader } from "./columns.ts";
import { CsvRecordReader, type CsvProblem, type CsvRecord } from "./csv-records.ts";
import { detectEncoding, type CsvEncoding } from "./encoding.ts";

export interface ReadConsoleCsvOptions {
  /** File path or download URL, used in rejections and errors. */
  origin: string;
  /** Rows per yielded batch (default 1000). */
  batchSize?: number;
  /** Force an encoding instead of detecting it. */
  encoding?: CsvEncoding;
}

export interface ConsoleCsvBatch {
  rows: ConsoleRow[];
  rejections: Rejection[];
}

export type ByteSource = Uint8Array | NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>;

const SAMPLE_BYTES = 64 * 1024;
/** How many distinct recent Date values keep their identical-row counters. */
const ORDINAL_WINDOW = 64;

async function* chunksOf(input: ByteSource): AsyncGenerator<Uint8Array> {
  if (input instanceof Uint8Array) {
    yield input;
    return;
  }
  for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
  }
}

/** Decode byte chunks to text, detecting the encoding from the first 64 KiB. */
async function* decode(input: ByteSource, forced: CsvEncoding | undefined): AsyncGenerator<string> {
  const iterator = chunksOf(input)[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < SAMPLE_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
  }
  const sample = Buffer.concat(head);
  const encoding = forced ?? detectEncoding(sample, done);
  // UTF-8 through the native TextDecoder (faster than iconv's); it drops a BOM itself.
  const decoder =
    encoding === "utf-8"
      ? (() => {
          const native = new TextDecoder("utf-8");
          return { write: (b: Uint8Array) => native.decode(b, { stream: true }), end: () => native.decode() };
        })()
      : iconv.getDecoder(encoding, { stripBOM: true });
  const first = decoder.write(sample);
  if (first) yield first;
  if (!done) {
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      const text = decoder.write(Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value));
      if (text) yield text;
    }
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/**
 * Counts identical rows per Date for the rows' ordinals (DESIGN.md: id = hash + ordinal).
 * Rows are compared on the known columns only, like the id. Most seconds hold one row, so a
 * row is compared with the few earlier rows of its Date instead of building a key string.
 */
class OrdinalCounter {
  private readonly byDate = new Map<string, Record<string, string>[]>();

  next(cells: Record<string, string>): number {
    const date = cells.Date ?? "";
    let earlier = this.byDate.get(date);
    if (!earlier) {
      earlier = [];
      this.byDate.set(date, earlier);
      if (this.byDate.size > ORDINAL_WINDOW) this.byDate.delete(this.byDate.keys().next().value as string);
    }
    let ordinal = 0;
    for (const other of earlier) if (sameKnownCells(other, cells)) ordinal += 1;
    earlier.push(cells);
    return ordinal;
  }
}

function sameKnownCells(a: Record<string, string>, b: Record<string, string>): boolean {
  for (const column of CONSOLE_COLUMNS) if ((a[column] ?? "") !== (b[column] ?? "")) return false;
  return true;
}

/** Read a console CSV into batches of rows (see the module comment for the contract). */
export async function* readConsoleCsv(input: ByteSource, options: ReadConsoleCsvOptions): AsyncGenerator<ConsoleCsvBatch> {
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const reader = new CsvRecordReader();
  const ordinals = new OrdinalCounter();
  let header: string[] | null = null;
  let rows: ConsoleRow[] = [];
  let rejections: Rejection[] = [];

  const take = (records: CsvRecord[], problems: CsvProblem[]): void => {
    for (const problem of problems) rejections.push({ origin: options.origin, locator: `line ${problem.line}`, reason: problem.reason });
    for (const record of records) {
      if (header === null) {
        header = mapHeader(record.cells);
        if (header === null) {
          const shown = record.cells.join(",").slice(0, 120);
          throw new InputError(
            `${options.origin}: line ${record.line} is not a console audit-log header (expected columns such as 日時,レベル,…,補足 or Date,Level,…,Complement), got "${shown}".`,
            { details: { file: options.origin, line: record.line } },
          );
        }
        continue;
      }
      if (record.cells.length !== header.length) {
        rejections.push({
          origin: options.origin,
          locator: `line ${record.line}`,
          reason: `the row has ${record.cells.length} cell${record.cells.length === 1 ? "" : "s"}, the header has ${header.length}`,
        });
        continue;
      }
      const cells: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) cells[header[i]!] = record.cells[i]!;
      rows.push({ line: record.line, cells, ordinal: ordinals.next(cells) });
    }
  };

  for await (const text of decode(input, options.encoding)) {
    const { records, problems } = reader.push(text);
    take(records, problems);
    // Whole batches go out as soon as they are full; a remainder waits for the next chunk.
    while (rows.length >= batchSize) {
      yield { rows: rows.slice(0, batchSize), rejections };
      rows = rows.slice(batchSize);
      rejections = [];
    }
  }
  const { records, problems } = reader.end();
  take(records, problems);
  if (header === null) {
    throw new InputError(`${options.origin}: the file is empty (no header row).`, { details: { file: options.origin } });
  }
  while (rows.length > batchSize) {
    yield { rows: rows.slice(0, batchSize), rejections };
    rows = rows.slice(batchSize);
    rejections = [];
  }
  if (rows.length > 0 || rejections.length > 0) yield { rows, rejections };
}

/** Whether `text` (the first line of a file, decoded) is a console CSV header. */
export function isConsoleHeader(firstRecord: string[]): boolean {
  return mapHeader(firstRecord) !== null;
}
