/** Which format a file to import is in, from its first bytes. */
import iconv from "iconv-lite";
import { CsvRecordReader } from "../console-csv/csv-records.ts";
import { detectEncoding } from "../console-csv/encoding.ts";
import { mapHeader } from "../console-csv/columns.ts";

/**
 * - `console-csv`: a console audit-log CSV (its header is recognised, any supported encoding);
 * - `json`: JSON values: a top-level array, NDJSON, or concatenated objects (Auth0 log-stream
 *   files of EventBridge envelopes, or bare Auth0 events);
 * - `unknown`: anything else.
 */
export type FileFormat = "console-csv" | "json" | "unknown";

/** Decide from a sample of the file's first bytes (`complete`: the sample is the whole file). */
export function detectFormat(sample: Uint8Array, complete: boolean): FileFormat {
  let i = 0;
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) i = 3;
  while (i < sample.length && (sample[i] === 0x20 || sample[i] === 0x0a || sample[i] === 0x0d || sample[i] === 0x09)) i++;
  if (sample[i] === 0x7b || sample[i] === 0x5b) return "json";
  if (i >= sample.length) return "unknown";
  const encoding = detectEncoding(sample, complete);
  const text = iconv.decode(Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength), encoding);
  const reader = new CsvRecordReader();
  const { records } = reader.push(text);
  const first = records[0] ?? (complete ? reader.end().records[0] : undefined);
  return first && mapHeader(first.cells) ? "console-csv" : "unknown";
}

/** Whether the bytes start a gzip stream (Firehose can compress what it writes). */
export function isGzip(sample: Uint8Array): boolean {
  return sample[0] === 0x1f && sample[1] === 0x8b;
}
