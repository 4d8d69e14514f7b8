/**
 * A streaming splitter for files of JSON values: one top-level array (`[ {...}, {...} ]`),
 * NDJSON (one value a line), or values concatenated with no delimiter at all, as Firehose
 * writes Auth0's EventBridge envelopes (`{...}{...}`). It scans bytes for the end of each
 * value (tracking strings, escapes and nesting; UTF-8 continuation bytes can never look like
 * `{`, `"` or `\`) and hands each complete value to JSON.parse, which is far faster than a
 * token-level streaming parser. Memory stays within one value plus one chunk.
 * A value that JSON.parse refuses is reported with its record and line number; the scan goes
 * on with the next value.
 */
import { MAX_JSON_DEPTH } from "../../core/limits.ts";

export type JsonValueItem =
  | { ok: true; value: unknown; record: number; line: number }
  | { ok: false; record: number; line: number; reason: string };

const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d; // }
const OPEN_ARRAY = 0x5b; // [
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const COMMA = 0x2c;

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

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}


/** Largest value accepted (bytes): anything bigger is a broken file, not an audit event. */
const MAX_VALUE_BYTES = 64 * 1024 * 1024;

/**
 * Split a byte stream into JSON values. With a top-level array, its elements are the values.
 * Each item says its 1-based record number and the line its value starts on.
 */
export async function* splitJsonValues(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<JsonValueItem> {
  let mode: "unknown" | "array" | "stream" = "unknown";
  let depth = 0; // nesting inside the current value
  let deepest = 0; // deepest nesting seen in the current value
  let inString = false;
  let escaped = false;
  let parts: Buffer[] = []; // bytes of the current value from earlier chunks
  let partsBytes = 0;
  let valueStart = -1; // index in the current chunk where the value began (-1: in earlier chunks or none)
  let inValue = false;
  let line = 1;
  let valueLine = 1;
  let record = 0;
  let arrayClosed = false;
  let pendingScalar = false; // a top-level scalar (number, true...) in stream mode: read until delimiter

  const finish = (bytes: Buffer): JsonValueItem => {
    record += 1;
    if (deepest > MAX_JSON_DEPTH) {
      return { ok: false, record, line: valueLine, reason: `nested deeper than ${MAX_JSON_DEPTH} levels (the bound for one record)` };
    }
    try {
      return { ok: true, value: JSON.parse(bytes.toString("utf8")), record, line: valueLine };
    } catch (error) {
      return { ok: false, record, line: valueLine, reason: `not valid JSON (${(error as Error).message.slice(0, 120)})` };
    }
  };

  for await (const chunk of withoutBom(chunks)) {
    valueStart = inValue ? 0 : -1;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const b = chunk[i]!;
      if (inValue) {
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) {
            inString = false;
            if (depth === 0) {
              // a top-level string value ends here
              const bytes = Buffer.concat([...parts, chunk.subarray(valueStart, i + 1)]);
              parts = [];
              partsBytes = 0;
              inValue = false;
              yield finish(bytes);
            }
          } else if (b === NEWLINE) line += 1;
          continue;
        }
        if (pendingScalar) {
          if (isSpace(b) || b === COMMA || b === CLOSE_ARRAY || b === OPEN_OBJECT || b === OPEN_ARRAY || b === QUOTE) {
            const bytes = Buffer.concat([...parts, chunk.subarray(valueStart, i)]);
            parts = [];
            partsBytes = 0;
            inValue = false;
            pendingScalar = false;
            yield finish(bytes);
            i -= 1; // look at this byte again outside the value
          }
          continue;
        }
        if (b === QUOTE) inString = true;
        else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
          depth += 1;
          if (depth > deepest) deepest = depth;
        }
        else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
          depth -= 1;
          if (depth === 0) {
            const bytes = Buffer.concat([...parts, chunk.subarray(valueStart, i + 1)]);
            parts = [];
            partsBytes = 0;
            inValue = false;
            yield finish(bytes);
          }
        } else if (b === NEWLINE) line += 1;
        continue;
      }
      // Between values.
      if (b === NEWLINE) {
        line += 1;
        continue;
      }
      if (isSpace(b)) continue;
      if (mode === "unknown") {
        if (b === OPEN_ARRAY) {
          mode = "array";
          continue;
        }
        mode = "stream";
      }
      if (mode === "array") {
        if (b === COMMA) continue;
        if (b === CLOSE_ARRAY) {
          arrayClosed = true;
          continue;
        }
        if (arrayClosed) {
          // Something after the array's end: read on as a stream of values.
          mode = "stream";
        }
      } else if (b === COMMA) continue;
      inValue = true;
      valueStart = i;
      valueLine = line;
      deepest = 0;
      if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth = deepest = 1;
      else if (b === QUOTE) {
        depth = 0;
        inString = true;
      } else {
        depth = 0;
        pendingScalar = true;
      }
    }
    if (inValue) {
      const rest = chunk.subarray(valueStart);
      parts.push(Buffer.from(rest)); // copy: the stream may reuse its chunk
      partsBytes += rest.length;
      if (partsBytes > MAX_VALUE_BYTES) {
        record += 1;
        yield { ok: false, record, line: valueLine, reason: `a value longer than ${MAX_VALUE_BYTES} bytes; the rest of the file is skipped` };
        return;
      }
    }
  }
  if (inValue) {
    if (pendingScalar) {
      yield finish(Buffer.concat(parts));
    } else {
      record += 1;
      yield { ok: false, record, line: valueLine, reason: "the file ends inside this value (truncated)" };
    }
  }
}
