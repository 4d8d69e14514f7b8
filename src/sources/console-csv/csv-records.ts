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

const DELIMITER = /[,\n]/g;

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
 * the input has ended inside a quoted cell.
 */
function parseRecord(buf: string, start: number, ended: boolean): { cells: string[]; end: number } | null | "unterminated" {
  const cells: string[] = [];
  let i = start;
  for (;;) {
    if (buf.charCodeAt(i) === 34 /* " */) {
      let value = "";
      let j = i + 1;
      for (;;) {
        const q = buf.indexOf('"', j);
        if (q === -1) return ended ? "unterminated" : null;
        value += buf.slice(j, q);
        if (q + 1 >= buf.length && !ended) return null; // could be the first half of ""
        if (buf.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      // Anything between the closing quote and the delimiter is kept as written.
      DELIMITER.lastIndex = j;
      const d = DELIMITER.exec(buf);
      if (!d) {
        if (!ended) return null;
        cells.push(value + buf.slice(j).replace(/\r$/, ""));
        return { cells, end: buf.length };
      }
      const trailing = buf.slice(j, d.index);
      cells.push(value + (d[0] === "\n" ? trailing.replace(/\r$/, "") : trailing));
      if (d[0] === "\n") return { cells, end: d.index + 1 };
      i = d.index + 1;
      continue;
    }
    DELIMITER.lastIndex = i;
    const d = DELIMITER.exec(buf);
    if (!d) {
      if (!ended) return null;
      cells.push(buf.slice(i).replace(/\r$/, ""));
      return { cells, end: buf.length };
    }
    const text = buf.slice(i, d.index);
    if (d[0] === "\n") {
      cells.push(text.endsWith("\r") ? text.slice(0, -1) : text);
      return { cells, end: d.index + 1 };
    }
    cells.push(text);
    i = d.index + 1;
  }
}
