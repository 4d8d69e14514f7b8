/**
 * A streaming RFC 4180 reader that knows where each record starts. csv-parse counts a CR LF
 * inside a quoted cell as two lines and reports positions at a record's end, so it cannot give
 * "the line of the row's first line" exactly; this small reader can, and it recovers from a
 * quote that never closes (the rest of the file is not swallowed).
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
  /** A record longer than this (in characters) is a quote that never closes. Default 1,000,000. */
  maxRecordChars?: number;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Feed text chunks with `push`, then `end()`; each returns the complete records (and problems)
 * found so far. Memory stays within one record plus one chunk.
 */
export class CsvRecordReader {
  private buffer = "";
  private line = 1;
  private readonly maxRecordChars: number;

  constructor(options: CsvRecordsOptions = {}) {
    this.maxRecordChars = options.maxRecordChars ?? 1_000_000;
  }

  push(text: string): { records: CsvRecord[]; problems: CsvProblem[] } {
    this.buffer = this.buffer === "" ? text : this.buffer + text;
    return this.drain(false);
  }

  end(): { records: CsvRecord[]; problems: CsvProblem[] } {
    return this.drain(true);
  }

  private drain(ended: boolean): { records: CsvRecord[]; problems: CsvProblem[] } {
    const records: CsvRecord[] = [];
    const problems: CsvProblem[] = [];
    const buf = this.buffer;
    let pos = 0;
    while (pos < buf.length) {
      const parsed = parseRecord(buf, pos, ended);
      if (parsed === null) {
        // Incomplete: wait for more text unless the record has grown past any honest size.
        if (buf.length - pos <= this.maxRecordChars) break;
      }
      if (parsed === null || parsed === "unterminated") {
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
      this.line += countNewlines(buf, pos, parsed.end);
      pos = parsed.end;
      const cells = parsed.cells;
      if (cells.length === 1 && cells[0] === "") continue; // blank line
      records.push({ line: startLine, cells });
    }
    this.buffer = pos >= buf.length ? "" : buf.slice(pos);
    return { records, problems };
  }
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
