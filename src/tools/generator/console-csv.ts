/**
 * The console's CSV export: header in Japanese or English, every cell quoted (quotes doubled;
 * commas and newlines kept inside quotes), CRLF line ends, UTF-8 with or without BOM or
 * Shift-JIS (Windows code page 932, what Japanese Excel and the console write).
 */
import { mkdir, open, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import iconv from "iconv-lite";
import { CONSOLE_COLUMNS, CONSOLE_HEADER_JA, localizeConsoleCells, type ConsoleCells, type ConsoleColumn, type ConsoleLang } from "./console-vocabulary.ts";

export type ConsoleCsvEncoding = "utf8" | "utf8bom" | "sjis";

export interface ConsoleCsvOptions {
  /** Header language and Level/Service values (default "ja"). */
  lang?: ConsoleLang;
  /** Default "utf8bom" for Japanese (like the console), "utf8" for English. */
  encoding?: ConsoleCsvEncoding;
  /** "all" (default, like the console) or "needed" (only cells with quotes, commas, newlines or edge spaces). */
  quote?: "all" | "needed";
  /** Line end between rows (default "\r\n"). Newlines inside cells are kept as they are. */
  eol?: string;
}

/** A row as accepted by the writers: a generated row or its bare cells. */
export type ConsoleRowLike = { cells: ConsoleCells } | ConsoleCells;

function cellsOf(row: ConsoleRowLike): ConsoleCells {
  return "cells" in row && typeof row.cells === "object" ? row.cells : (row as ConsoleCells);
}

function quoteCell(value: string, mode: "all" | "needed"): string {
  if (mode === "needed" && !/[",\r\n]/.test(value) && value.trim() === value) return value;
  return value.includes('"') ? `"${value.replaceAll('"', '""')}"` : `"${value}"`;
}

/** The header line (without line end) for a language. */
export function consoleCsvHeader(lang: ConsoleLang = "ja", quote: "all" | "needed" = "all"): string {
  return CONSOLE_COLUMNS.map((c) => quoteCell(lang === "ja" ? CONSOLE_HEADER_JA[c] : c, quote)).join(",");
}

/** One row as a CSV line (without line end), localized for `lang`. */
export function consoleCsvLine(row: ConsoleRowLike, lang: ConsoleLang = "ja", quote: "all" | "needed" = "all"): string {
  const cells = localizeConsoleCells(cellsOf(row), lang);
  let line = quoteCell(cells.Date ?? "", quote);
  for (let i = 1; i < CONSOLE_COLUMNS.length; i++) line += `,${quoteCell(cells[CONSOLE_COLUMNS[i] as ConsoleColumn] ?? "", quote)}`;
  return line;
}

function resolved(options: ConsoleCsvOptions): Required<ConsoleCsvOptions> {
  const lang = options.lang ?? "ja";
  return { lang, encoding: options.encoding ?? (lang === "ja" ? "utf8bom" : "utf8"), quote: options.quote ?? "all", eol: options.eol ?? "\r\n" };
}

const sjisSegments = new Map<string, Buffer>();

/**
 * Shift-JIS (cp932) encoding that passes ASCII runs through natively and encodes each distinct
 * non-ASCII run once (app names, departments and file names repeat on every row): several times
 * faster than encoding the whole text with iconv-lite, with the same bytes.
 */
function encodeSjis(text: string): Buffer {
  // cp932 needs at most two bytes per UTF-16 unit.
  const out = Buffer.allocUnsafe(text.length * 2);
  const nonAscii = /[^\x00-\x7f]+/g;
  let at = 0;
  let last = 0;
  for (let m = nonAscii.exec(text); m !== null; m = nonAscii.exec(text)) {
    if (m.index > last) at += out.write(text.slice(last, m.index), at, "latin1");
    let bytes = sjisSegments.get(m[0]);
    if (!bytes) {
      bytes = iconv.encode(m[0], "cp932");
      if (sjisSegments.size < 100_000) sjisSegments.set(m[0], bytes);
    }
    at += bytes.copy(out, at);
    last = m.index + m[0].length;
  }
  if (last < text.length) at += out.write(text.slice(last), at, "latin1");
  return out.subarray(0, at);
}

function encode(text: string, encoding: ConsoleCsvEncoding): Buffer {
  return encoding === "sjis" ? encodeSjis(text) : Buffer.from(text, "utf8");
}

/**
 * The CSV as encoded chunks of about `chunkRows` rows each (first chunk starts with the BOM
 * when asked, and the header). Shift-JIS is stateless, so chunks may be encoded separately.
 */
export function* consoleCsvChunks(rows: Iterable<ConsoleRowLike>, options: ConsoleCsvOptions = {}, chunkRows = 5000): Generator<Buffer> {
  const o = resolved(options);
  let parts: string[] = [(o.encoding === "utf8bom" ? "\uFEFF" : "") + consoleCsvHeader(o.lang, o.quote) + o.eol];
  for (const row of rows) {
    parts.push(consoleCsvLine(row, o.lang, o.quote) + o.eol);
    if (parts.length >= chunkRows) {
      yield encode(parts.join(""), o.encoding);
      parts = [];
    }
  }
  if (parts.length > 0) yield encode(parts.join(""), o.encoding);
}

/** The whole CSV in memory (for small outputs and HTTP responses of the emulated console). */
export function encodeConsoleCsv(rows: Iterable<ConsoleRowLike>, options: ConsoleCsvOptions = {}): Buffer {
  return Buffer.concat([...consoleCsvChunks(rows, options)]);
}

/**
 * Writes one console CSV incrementally: `open`, any number of `write`, then `close`. Rows are
 * buffered and written in chunks, so a file of any size never sits whole in memory.
 */
export class ConsoleCsvFileWriter {
  private parts: string[] = [];
  private rows = 0;
  private bytes = 0;

  private constructor(
    private readonly handle: FileHandle,
    private readonly options: Required<ConsoleCsvOptions>,
  ) {
    this.parts.push((options.encoding === "utf8bom" ? "\uFEFF" : "") + consoleCsvHeader(options.lang, options.quote) + options.eol);
  }

  /** Creates (or truncates) the file at `path`, creating parent folders. */
  static async open(path: string, options: ConsoleCsvOptions = {}): Promise<ConsoleCsvFileWriter> {
    await mkdir(dirname(path), { recursive: true });
    return new ConsoleCsvFileWriter(await open(path, "w"), resolved(options));
  }

  async write(row: ConsoleRowLike): Promise<void> {
    this.parts.push(consoleCsvLine(row, this.options.lang, this.options.quote) + this.options.eol);
    this.rows++;
    if (this.parts.length >= 5000) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = encode(this.parts.join(""), this.options.encoding);
    this.parts = [];
    await this.handle.write(chunk);
    this.bytes += chunk.length;
  }

  /** Writes what is buffered and closes the file; returns the rows and bytes written. */
  async close(): Promise<{ rows: number; bytes: number }> {
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
    return { rows: this.rows, bytes: this.bytes };
  }
}

/**
 * Writes the CSV to `path` (parent folders created), streaming in chunks so that large outputs
 * never sit whole in memory. Returns the rows and bytes written.
 */
export async function writeConsoleCsv(rows: Iterable<ConsoleRowLike>, path: string, options: ConsoleCsvOptions = {}): Promise<{ rows: number; bytes: number }> {
  const writer = await ConsoleCsvFileWriter.open(path, options);
  try {
    for (const row of rows) await writer.write(row);
  } catch (error) {
    await writer.close().catch(() => undefined);
    throw error;
  }
  return writer.close();
}
