/**
 * A streaming splitter for files of JSON values: one top-level array (`[ {...}, {...} ]`),
 * NDJSON (one value a line), or values concatenated with no delimiter at all, as Firehose
 * writes a log stream's EventBridge envelopes (`{...}{...}`). It scans bytes for the end of each
 * value (tracking strings, escapes and nesting; UTF-8 continuation bytes can never look like
 * `{`, `"` or `\`) and hands each complete value to JSON.parse, which is far faster than a
 * token-level streaming parser.
 *
 * A broken value never swallows the rest of the file. Each of these rejects the value with its
 * record and line number, and reading goes on:
 *
 * - JSON.parse refuses a complete value, or it nests deeper than MAX_JSON_DEPTH: its end is
 *   known, and the next value starts right after it.
 * - A string not closed on its line: a raw line break (0x0A) is never allowed inside a JSON
 *   string, so the line break ends the broken value. Reading resumes at the next line that
 *   starts a record (below); the lines between are part of the broken value.
 * - An object or array still open when a line starts a record: a line whose first non-blank
 *   byte is `{` at the records' margin begins a new record, so the open value was broken; the
 *   new record starts at that `{`. Writers that put one record on each line (NDJSON, Firehose,
 *   a minified array) never break a record over lines, and pretty printers (JSON.stringify's
 *   indent, jq, Python's json.dumps) indent whatever is nested in a record further than the
 *   record itself, so no valid file is cut by this rule.
 * - A value longer than MAX_JSON_RECORD_BYTES: rejected when it passes the bound; reading
 *   resumes at the next line that starts a record.
 * - Bare words between values (`x`, `undefined`, `1x`: not JSON, not a string, object or
 *   array): one rejection for a run of them, which ends at the next value that reads or starts
 *   with `{`, `[` or `"` (in an array, also at `,` and `]`), so a file of a billion junk lines
 *   costs one rejection, not a billion.
 *
 * The records' margin is column 0 (the first byte of a line; blanks, tabs and CRs count one
 * column each), or, once an object that reads has started its own line, the column of the
 * first such object: a pretty-printed array's elements sit at column 2
 * (`[\n  {\n    "a": 1\n  },\n  {...`), so a line starting with `{` at column 2 or less while an
 * element is still open starts the next element. A file on one line (a minified array, a
 * Firehose object) has no line to resume at: after a broken string or a value past the bound
 * in it, the rest of the file is that one rejection.
 *
 * Whatever the input, the bytes held stay within one record bound plus one chunk (parsing a
 * complete value briefly needs one copy of it).
 */
import { MAX_JSON_DEPTH, MAX_JSON_RECORD_BYTES } from "../../core/limits.ts";

export type JsonValueItem =
  | { ok: true; value: unknown; record: number; line: number }
  | { ok: false; record: number; line: number; reason: string };

export interface SplitJsonOptions {
  /** The per-record bound in bytes (default MAX_JSON_RECORD_BYTES). */
  maxRecordBytes?: number;
}

const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d; // }
const OPEN_ARRAY = 0x5b; // [
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const COMMA = 0x2c;
const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The chunks as Buffers, without a leading UTF-8 BOM (which may come split over chunks). */
async function* withoutBom(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let head: Buffer = Buffer.alloc(0);
  let checked = false;
  for await (const c of chunks) {
    const chunk = Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    if (checked) {
      yield chunk;
      continue;
    }
    head = head.length > 0 ? Buffer.concat([head, chunk]) : chunk;
    if (head.length < 3 && BOM.subarray(0, head.length).equals(head)) continue;
    checked = true;
    yield head.subarray(0, 3).equals(BOM) ? head.subarray(3) : head;
  }
  if (!checked && head.length > 0) yield head;
}

function isBlank(b: number): boolean {
  return b === SPACE || b === TAB || b === CR;
}

/** Bytes that end a bare word (a number, `true`, or junk). */
function endsWord(b: number): boolean {
  return isBlank(b) || b === NEWLINE || b === COMMA || b === CLOSE_ARRAY || b === OPEN_OBJECT || b === OPEN_ARRAY || b === QUOTE;
}

/** A byte a JSON number, `true`, `false` or `null` can start with. */
function startsScalar(b: number): boolean {
  return b === 0x2d || (b >= 0x30 && b <= 0x39) || b === 0x74 || b === 0x66 || b === 0x6e; // - 0-9 t f n
}

/**
 * Split a byte stream into JSON values. With a top-level array, its elements are the values.
 * Each item says its 1-based record number and the line its value starts on; a value that
 * cannot be read is an item with `ok: false` and the reason (see the module comment). Never
 * throws on any input.
 */
export async function* splitJsonValues(chunks: AsyncIterable<Uint8Array>, options: SplitJsonOptions = {}): AsyncGenerator<JsonValueItem> {
  const maxBytes = options.maxRecordBytes ?? MAX_JSON_RECORD_BYTES;
  let mode: "unknown" | "array" | "stream" = "unknown";
  let arrayClosed = false;
  let record = 0;
  // Where the scan is: lines, and whether only blanks came since the last line break.
  let line = 1;
  let lineHead = true;
  let indent = 0;
  let margin = 0; // the records' column (see the module comment)
  let marginLearned = false;
  // The value being read.
  let inValue = false;
  let depth = 0;
  let deepest = 0;
  let inString = false;
  let escaped = false;
  let word = false; // a top-level bare word (number, true...): read up to a delimiter
  let wordStart = 0; // its first byte
  let parts: Buffer[] = []; // its bytes from earlier chunks
  let partsBytes = 0;
  let valueStart = -1; // index in the current chunk where it began (0 when it began in an earlier chunk)
  let limitAt = 0; // index in the current chunk at which it passes the bound
  let valueLine = 1;
  let valueAtHead = false;
  let valueIndent = 0;
  // A broken value being skipped up to the next line that starts a record.
  let skipping: { line: number; reason: string } | null = null;
  // A run of bare words that are not JSON, reported once when the run ends.
  let junk: { line: number; lastLine: number; reason: string } | null = null;

  // The closures below run once per value, never per byte: the scan's own state (depth,
  // inString...) stays out of them, so the byte loop keeps it in registers.
  const item = (at: number, reason: string): JsonValueItem => ({ ok: false, record: (record += 1), line: at, reason });
  const dropParts = () => {
    if (parts.length > 0) parts = [];
    partsBytes = 0;
  };
  const junkItem = (): JsonValueItem => {
    const j = junk!;
    junk = null;
    return item(j.line, j.lastLine > j.line ? `${j.reason}; and the bare words after it up to line ${j.lastLine}` : j.reason);
  };
  /** The value's bytes: those from earlier chunks, then `chunk` from `start` to `end` (exclusive). */
  const valueBytes = (chunk: Buffer, start: number, end: number): Buffer => {
    const bytes = parts.length > 0 ? Buffer.concat([...parts, chunk.subarray(start, end)]) : chunk.subarray(start, end);
    dropParts();
    return bytes;
  };
  /**
   * A complete value, parsed. Gives the items to yield: a bare word that is not JSON joins the
   * run of junk instead (see `junk`), which is reported before the next value that reads.
   */
  const finish = (bytes: Buffer, bare: boolean, deepest: number): JsonValueItem[] => {
    if (deepest > MAX_JSON_DEPTH) return [item(valueLine, `nested deeper than ${MAX_JSON_DEPTH} levels (the bound for one record)`)];
    let reason: string;
    if (bare && !startsScalar(bytes[0]!)) {
      // Most junk: no need to ask JSON.parse (and pay for its exception).
      reason = `not valid JSON (${JSON.stringify(bytes.subarray(0, 40).toString("utf8"))} is not a value)`;
    } else {
      try {
        const value: unknown = JSON.parse(bytes.toString("utf8"));
        if (!marginLearned && valueAtHead && bytes[0] === OPEN_OBJECT) {
          margin = valueIndent;
          marginLearned = true;
        }
        const before = junk ? [junkItem()] : [];
        return [...before, { ok: true, value, record: (record += 1), line: valueLine }];
      } catch (error) {
        reason = `not valid JSON (${(error as Error).message.slice(0, 120)})`;
      }
    }
    if (!bare) return [item(valueLine, reason)];
    if (junk) junk.lastLine = valueLine;
    else junk = { line: valueLine, lastLine: valueLine, reason };
    return [];
  };
  /** A word that cannot start a value while a run of junk is open: the run goes on, nothing to parse or describe. */
  const moreJunk = (): boolean => {
    if (junk === null) return false;
    junk.lastLine = valueLine;
    return true;
  };
  const skippedItem = (at: number): JsonValueItem => {
    const s = skipping!;
    skipping = null;
    return item(s.line, `${s.reason}; reading resumed at line ${at}`);
  };

  for await (const chunk of withoutBom(chunks)) {
    valueStart = inValue ? 0 : -1;
    limitAt = maxBytes - partsBytes;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const b = chunk[i]!;
      if (inValue) {
        if (i >= limitAt) {
          if (junk) yield junkItem(); // before this value, which may be a bare word
          skipping = { line: valueLine, reason: `longer than ${maxBytes} bytes (the bound for one record)` };
          inValue = inString = escaped = word = false;
          dropParts();
          i -= 1; // this byte is the first one skipped
          continue;
        }
        if (inString) {
          if (escaped) {
            escaped = false;
            if (b !== NEWLINE) continue;
          } else if (b !== QUOTE && b !== BACKSLASH && b !== NEWLINE) {
            // Plain string bytes, most of a file: run to the next one that matters.
            const stop = limitAt < n ? limitAt : n;
            let j = i + 1;
            while (j < stop) {
              const c = chunk[j]!;
              if (c === QUOTE || c === BACKSLASH || c === NEWLINE) break;
              j += 1;
            }
            i = j - 1;
            continue;
          }
          if (b === NEWLINE) {
            skipping = { line: valueLine, reason: `a string not closed on line ${line} (a JSON string cannot hold a line break)` };
            inValue = inString = false;
            dropParts();
            i -= 1; // count the line break
          } else if (b === BACKSLASH) escaped = true;
          else {
            inString = false;
            if (depth === 0) {
              inValue = false;
              for (const done of finish(valueBytes(chunk, valueStart, i + 1), false, deepest)) yield done;
            }
          }
          continue;
        }
        if (word) {
          if (endsWord(b)) {
            inValue = word = false;
            if (!startsScalar(wordStart) && moreJunk()) dropParts();
            else for (const done of finish(valueBytes(chunk, valueStart, i), true, 0)) yield done;
            i -= 1; // look at this byte again outside the value
          }
          continue;
        }
      }
      if (b === NEWLINE) {
        line += 1;
        lineHead = true;
        indent = 0;
        continue;
      }
      let head = false; // the first non-blank byte of its line
      if (lineHead) {
        if (isBlank(b)) {
          indent += 1;
          continue;
        }
        lineHead = false;
        head = true;
      }
      const startsRecord = head && b === OPEN_OBJECT && indent <= margin;
      if (skipping) {
        if (!startsRecord) continue;
        yield skippedItem(line);
      } else if (inValue) {
        if (startsRecord) {
          yield item(valueLine, `an object or array not closed before line ${line}, where a line starts a new record with "{"`);
          inValue = false;
          dropParts();
        } else {
          if (b === QUOTE) inString = true;
          else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
            depth += 1;
            if (depth > deepest) deepest = depth;
          } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
            depth -= 1;
            if (depth === 0) {
              inValue = false;
              for (const done of finish(valueBytes(chunk, valueStart, i + 1), false, deepest)) yield done;
            }
          }
          continue;
        }
      }
      // Between values.
      if (isBlank(b)) continue;
      if (mode === "unknown") {
        if (b === OPEN_ARRAY) {
          mode = "array";
          continue;
        }
        mode = "stream";
      }
      if (mode === "array") {
        if (b === COMMA || b === CLOSE_ARRAY) {
          if (junk) yield junkItem();
          if (b === CLOSE_ARRAY) arrayClosed = true;
          continue;
        }
        // Something after the array's end: read on as a stream of values.
        if (arrayClosed) mode = "stream";
      } else if (b === COMMA) continue;
      const isWord = b !== OPEN_OBJECT && b !== OPEN_ARRAY && b !== QUOTE;
      if (junk && !isWord) yield junkItem();
      inValue = true;
      valueStart = i;
      limitAt = i + maxBytes;
      valueLine = line;
      valueAtHead = head;
      valueIndent = indent;
      deepest = depth = b === QUOTE || isWord ? 0 : 1;
      inString = b === QUOTE;
      word = isWord;
      wordStart = b;
    }
    if (inValue) {
      const rest = chunk.subarray(valueStart);
      parts.push(Buffer.from(rest)); // copy: the stream may reuse its chunk
      partsBytes += rest.length;
    }
  }
  if (inValue && word) {
    inValue = false;
    for (const done of finish(valueBytes(Buffer.alloc(0), 0, 0), true, 0)) yield done;
  }
  if (junk) yield junkItem();
  if (skipping) {
    const s = skipping;
    yield item(s.line, `${s.reason}; no later line starts a record with "{", so the rest of the file was skipped`);
  } else if (inValue) {
    yield item(valueLine, "the file ends inside this value (truncated)");
  }
}
