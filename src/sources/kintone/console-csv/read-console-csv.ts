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
 * quote that never closes, a record past the per-record bound of csv-records.ts, a row of a
 * UTF-8 file that is not valid UTF-8) is a rejection with its line; the rest of the file is
 * still read, and rejections are yielded in batches like rows (never piled up).
 * A header that is not a console audit-log header is one InputError naming the file.
 * Memory stays within one batch plus one chunk, whatever the file's size.
 */
import iconv from "iconv-lite";
import { InputError } from "../../../core/errors.ts";
import type { RawRecord, Rejection } from "../../../core/types.ts";
import { CONSOLE_COLUMNS, mapHeader } from "./columns.ts";
import { CsvRecordReader, type CsvProblem, type CsvRecord } from "./csv-records.ts";
import { detectEncoding, type CsvEncoding } from "./encoding.ts";

/**
 * One row of a console CSV, read by column name. `cells` uses the English column names
 * (Date, Level, Service, User, IP Address, User Agent, Module, Action, Result, Error Code,
 * Complement) whatever the header's language; unknown columns keep their own header name.
 */
export interface ConsoleRow {
  /** 1-based line number of the row's first line in the file (the header is line 1). */
  line: number;
  cells: Record<string, string>;
  /** 0 for the first of identical rows within the same second, 1 for the next, ... */
  ordinal: number;
}

/** Rows as a batch's raw records, each located by its line (an XLSX sheet's: its row), what the console's normaliser reads. */
export function rowRecords(rows: readonly ConsoleRow[], unit: "line" | "row" = "line"): RawRecord[] {
  return rows.map((row) => ({ record: row, locator: `${unit} ${row.line}` }));
}

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
/** Text is handed to the record reader in pieces of at most this many characters, so that what
 * one piece yields (records, rejections) stays small whatever the chunk size. */
const PIECE_CHARS = 64 * 1024;
const REPLACEMENT = "\uFFFD";
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

/** What decoding found out: the encoding, and whether UTF-8 met bytes it cannot hold. */
interface DecodeState {
  encoding: CsvEncoding | null;
  replaced: boolean;
}

/**
 * Decode byte chunks to text, detecting the encoding from the first 64 KiB. Invalid UTF-8
 * becomes U+FFFD (and `state.replaced` is set) so that the record holding it can be rejected
 * alone; a file is read as Shift-JIS only when it looks like one as a whole (encoding.ts).
 */
async function* decode(input: ByteSource, forced: CsvEncoding | undefined, state: DecodeState): AsyncGenerator<string> {
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
  state.encoding = encoding;
  // UTF-8 through the native TextDecoder (faster than iconv's); it drops a BOM itself.
  const decoder =
    encoding === "utf-8"
      ? (() => {
          const native = new TextDecoder("utf-8");
          const seen = (text: string): string => {
            if (!state.replaced && text.includes(REPLACEMENT)) state.replaced = true;
            return text;
          };
          return { write: (b: Uint8Array) => seen(native.decode(b, { stream: true })), end: () => seen(native.decode()) };
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
 * Counts identical rows per Date for the rows' ordinals (DESIGN.md: id = hash + ordinal): a
 * row's ordinal is how many earlier rows of its Date (among the last ORDINAL_WINDOW Dates seen)
 * have the same known cells. Kept as a count per canonical key of the known cells, so a second
 * holding many rows costs one map lookup per row, not a comparison with each earlier row.
 */
export class OrdinalCounter {
  private readonly byDate = new Map<string, Map<string, number>>();

  next(cells: Record<string, string>): number {
    const date = cells.Date ?? "";
    let counts = this.byDate.get(date);
    if (!counts) {
      counts = new Map();
      this.byDate.set(date, counts);
      if (this.byDate.size > ORDINAL_WINDOW) this.byDate.delete(this.byDate.keys().next().value as string);
    }
    const key = knownCellsKey(cells);
    const ordinal = counts.get(key) ?? 0;
    counts.set(key, ordinal + 1);
    return ordinal;
  }
}

/** The known cells joined unambiguously (JSON of the array: no two rows share a key). */
function knownCellsKey(cells: Record<string, string>): string {
  return JSON.stringify(CONSOLE_COLUMNS.map((column) => cells[column] ?? ""));
}

/**
 * The cell keys of a header row (columns.ts), or an InputError naming the file and the header's
 * line (a CSV's line, or an XLSX sheet's row: `unit`) when it is not a console audit-log header.
 */
export function consoleHeader(cells: readonly string[], line: number, origin: string, unit = "line"): string[] {
  const header = mapHeader([...cells]);
  if (header !== null) return header;
  const shown = cells.join(",").slice(0, 120);
  throw new InputError(
    `${origin}: ${unit} ${line} is not a console audit-log header (expected columns such as 日時,レベル,…,補足 or Date,Level,…,Complement), got "${shown}".`,
    { details: { file: origin, line } },
  );
}

/**
 * A data row under `header`, with its ordinal from `ordinals`; or the reason it is rejected (a
 * number of cells other than the header's).
 */
export function consoleRow(header: readonly string[], cells: readonly string[], line: number, ordinals: OrdinalCounter): ConsoleRow | string {
  if (cells.length !== header.length) {
    return `the row has ${cells.length} cell${cells.length === 1 ? "" : "s"}, the header has ${header.length}`;
  }
  const named: Record<string, string> = {};
  for (let i = 0; i < header.length; i++) named[header[i]!] = cells[i]!;
  return { line, cells: named, ordinal: ordinals.next(named) };
}

/** Read a console CSV into batches of rows (see the module comment for the contract). */
export async function* readConsoleCsv(input: ByteSource, options: ReadConsoleCsvOptions): AsyncGenerator<ConsoleCsvBatch> {
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const reader = new CsvRecordReader();
  const ordinals = new OrdinalCounter();
  let header: string[] | null = null;
  let rows: ConsoleRow[] = [];
  let rejections: Rejection[] = [];
  const decoding: DecodeState = { encoding: null, replaced: false };

  const take = (records: CsvRecord[], problems: CsvProblem[]): void => {
    for (const problem of problems) rejections.push({ origin: options.origin, locator: `line ${problem.line}`, reason: problem.reason });
    for (const record of records) {
      if (header === null) {
        header = consoleHeader(record.cells, record.line, options.origin);
        continue;
      }
      if (decoding.replaced && decoding.encoding === "utf-8" && record.cells.some((cell) => cell.includes(REPLACEMENT))) {
        // U+FFFD stands for bytes UTF-8 cannot hold (say, a Shift-JIS row in a UTF-8 file).
        rejections.push({ origin: options.origin, locator: `line ${record.line}`, reason: "the row is not valid UTF-8" });
        continue;
      }
      const row = consoleRow(header, record.cells, record.line, ordinals);
      if (typeof row === "string") rejections.push({ origin: options.origin, locator: `line ${record.line}`, reason: row });
      else rows.push(row);
    }
  };

  for await (const text of decode(input, options.encoding, decoding)) {
    for (let at = 0; at < text.length; at += PIECE_CHARS) {
      const { records, problems } = reader.push(text.length <= PIECE_CHARS ? text : text.slice(at, at + PIECE_CHARS));
      take(records, problems);
      // Whole batches go out as soon as they are full, and so do rejections (a file of bad rows
      // must not pile them up); a remainder waits for the next piece.
      while (rows.length >= batchSize || rejections.length >= batchSize) {
        yield { rows: rows.slice(0, batchSize), rejections };
        rows = rows.slice(batchSize);
        rejections = [];
      }
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
