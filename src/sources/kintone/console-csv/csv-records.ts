/**
 * A streaming RFC 4180 reader that knows where each record starts. csv-parse counts a CR LF
 * inside a quoted cell as two lines and reports positions at a record's end, so it cannot give
 * "the line of the row's first line" exactly; this small reader can. A quoted cell is one cell
 * whatever it holds, up to the per-record bound (MAX_RECORD_CHARS): a record past it is skipped
 * to its real end and rejected, so a cell's content is never read as rows. A quote that never
 * closes is found at the end of the input: within the bound, its line is rejected and reading
 * resumes on the next line; past it, the rest of the input is that one rejected record.
 *
 * Cells are separated by commas, records by LF or CR LF; a cell may be quoted with `"` and then
 * hold commas, doubled quotes and line breaks. Text after a closing quote is kept as written.
 */

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  cells: string[];
}

export interface CsvProblem {
  line: number;
  reason: string;
}

export interface CsvRecordsOptions {
  /** The per-record bound in characters (default MAX_RECORD_CHARS). */
  maxRecordChars?: number;
}

/**
 * The longest record kept, in characters: 4 Mi. A console row is a few hundred characters and
 * its longest honest cell (a user agent, a complement) a few thousand; the bound is a thousand
 * times that, and it caps what one record can cost (a batch of 1,000 rows still fits in memory).
 * A record past it is skipped whole, quotes honoured, and rejected with its line and the bound:
 * its cells are never re-read as rows.
 */
export const MAX_RECORD_CHARS = 4 * 1024 * 1024;

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** Where a skip of an over-long record stands (see `skipRecord`). */
const Skip = { CellStart: 0, Unquoted: 1, Quoted: 2, QuoteSeen: 3 } as const;
type Skip = (typeof Skip)[keyof typeof Skip];

/**
 * Feed text chunks with `push`, then `end()`; each returns the complete records (and problems)
 * found so far. Memory stays within one record (at most the bound) plus one chunk.
 */
export class CsvRecordReader {
  private buffer = "";
  private line = 1;
  private readonly maxRecordChars: number;
  /** While skipping a record past the bound: its first line and the scanner's state. */
  private skipping: { line: number; state: Skip } | null = null;

  constructor(options: CsvRecordsOptions = {}) {
    this.maxRecordChars = options.maxRecordChars ?? MAX_RECORD_CHARS;
  }

  push(text: string): { records: CsvRecord[]; problems: CsvProblem[] } {
    this.buffer = this.buffer === "" ? text : this.buffer + text;
    return this.drain(false);
  }

  end(): { records: CsvRecord[]; problems: CsvProblem[] } {
    return this.drain(true);
  }

  private tooLong(line: number): CsvProblem {
    return { line, reason: `the record is longer than ${this.maxRecordChars} characters (the per-record bound); it is skipped` };
  }

  private drain(ended: boolean): { records: CsvRecord[]; problems: CsvProblem[] } {
    const records: CsvRecord[] = [];
    const problems: CsvProblem[] = [];
    const buf = this.buffer;
    let pos = 0;
    while (pos < buf.length || (ended && this.skipping)) {
      if (this.skipping) {
        const skip = this.skipping;
        const stop = skipRecord(buf, pos, skip);
        this.line += countNewlines(buf, pos, stop === -1 ? buf.length : stop);
        if (stop === -1) {
          pos = buf.length;
          if (!ended) break;
          // The input ended inside the record: inside a quote, it never closed.
          problems.push(
            skip.state === Skip.Quoted
              ? { line: skip.line, reason: `a quoted cell opened on line ${skip.line} is never closed; the rest of the file (past the per-record bound of ${this.maxRecordChars} characters) is skipped` }
              : this.tooLong(skip.line),
          );
        } else {
          problems.push(this.tooLong(skip.line));
          pos = stop;
        }
        this.skipping = null;
        continue;
      }
      const parsed = parseRecord(buf, pos, ended);
      if (parsed === null) {
        // Incomplete: wait for more text unless the record has grown past the bound.
        if (buf.length - pos <= this.maxRecordChars) break;
        // Past it, skip the record to its real end (quotes honoured), keeping none of it.
        this.skipping = { line: this.line, state: Skip.CellStart };
        continue;
      }
      if (parsed === "unterminated") {
        // The input ended inside a quoted cell shorter than the bound (a cut file): reject the
        // record's first line and read on from the next one.
        problems.push({ line: this.line, reason: `a quoted cell opened on line ${this.line} is never closed; the line is skipped` });
        const nl = buf.indexOf("\n", pos);
        if (nl === -1) {
          pos = buf.length;
        } else {
          pos = nl + 1;
          this.line += 1;
        }
        continue;
      }
      const startLine = this.line;
      const breaks = countNewlines(buf, pos, parsed.end);
      const length = parsed.end - pos;
      this.line += breaks;
      pos = parsed.end;
      if (length > this.maxRecordChars) {
        // Whole in one chunk but past the bound all the same.
        problems.push(this.tooLong(startLine));
        continue;
      }
      const cells = parsed.cells;
      if (cells.length === 1 && cells[0] === "") continue; // blank line
      records.push({ line: startLine, cells });
    }
    this.buffer = pos >= buf.length ? "" : buf.slice(pos);
    return { records, problems };
  }
}

/**
 * Scan a record being skipped from `from`, updating `skip.state` (the same grammar as
 * `parseRecord`: a quote opens a quoted cell only at a cell's start). Returns the index after
 * the record's line break, or -1 when the text ends first.
 */
function skipRecord(buf: string, from: number, skip: { state: Skip }): number {
  const n = buf.length;
  let state: Skip = skip.state;
  let i = from;
  while (i < n) {
    if (state === Skip.Quoted) {
      const q = buf.indexOf('"', i);
      if (q === -1) {
        i = n;
        break;
      }
      state = Skip.QuoteSeen;
      i = q + 1;
      continue;
    }
    const c = buf.charCodeAt(i);
    i++;
    if (c === LF) {
      skip.state = Skip.CellStart;
      return i;
    }
    if (c === COMMA) state = Skip.CellStart;
    else if (state === Skip.QuoteSeen) state = c === QUOTE ? Skip.Quoted : Skip.Unquoted;
    else if (state === Skip.CellStart) state = c === QUOTE ? Skip.Quoted : Skip.Unquoted;
  }
  skip.state = state;
  return -1;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) n += 1;
  return n;
}

/**
 * Parse one record starting at `start`. Returns its cells and the index after its line break,
 * null when the text ends before the record does (and more may come), or "unterminated" when
 * the input has ended inside a quoted cell. (Hot path: plain charCode loops and indexOf, no
 * regular expressions or per-cell allocations beyond the cell strings.)
 */
function parseRecord(buf: string, start: number, ended: boolean): { cells: string[]; end: number } | null | "unterminated" {
  const cells: string[] = [];
  const n = buf.length;
  let i = start;
  for (;;) {
    if (buf.charCodeAt(i) === QUOTE) {
      let value = "";
      let j = i + 1;
      for (;;) {
        const q = buf.indexOf('"', j);
        if (q === -1) return ended ? "unterminated" : null;
        if (q + 1 >= n && !ended) return null; // could be the first half of ""
        if (buf.charCodeAt(q + 1) === QUOTE) {
          value += buf.slice(j, q + 1);
          j = q + 2;
          continue;
        }
        value += buf.slice(j, q);
        j = q + 1;
        break;
      }
      // Usually the delimiter follows the closing quote; anything else up to it is kept as written.
      let k = j;
      while (k < n) {
        const c = buf.charCodeAt(k);
        if (c === COMMA || c === LF) break;
        k++;
      }
      if (k >= n && !ended) return null;
      if (k > j) {
        const trailing = buf.slice(j, k);
        value += k < n && buf.charCodeAt(k) === COMMA ? trailing : trailing.replace(/\r$/, "");
      }
      cells.push(value);
      if (k >= n) return { cells, end: n };
      if (buf.charCodeAt(k) === LF) return { cells, end: k + 1 };
      i = k + 1;
      continue;
    }
    let k = i;
    while (k < n) {
      const c = buf.charCodeAt(k);
      if (c === COMMA || c === LF) break;
      k++;
    }
    if (k >= n) {
      if (!ended) return null;
      const text = buf.slice(i, n);
      cells.push(text.endsWith("\r") ? text.slice(0, -1) : text);
      return { cells, end: n };
    }
    if (buf.charCodeAt(k) === LF) {
      cells.push(k > i && buf.charCodeAt(k - 1) === CR ? buf.slice(i, k - 1) : buf.slice(i, k));
      return { cells, end: k + 1 };
    }
    cells.push(buf.slice(i, k));
    i = k + 1;
  }
}
