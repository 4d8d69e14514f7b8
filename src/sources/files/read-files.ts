/**
 * The files source behind `kansa import`: walks files and folders, detects each file's format,
 * streams it, and yields RawBatches ready for `ingestBatch` (src/schedule/ingest.ts):
 *
 * - console CSV (Japanese or English header; UTF-8 with/without BOM, Shift-JIS) → `console-rows`;
 * - Auth0 log-stream files (EventBridge envelopes concatenated with no delimiter, as Firehose
 *   writes them under YYYY/MM/DD/HH/; the event is `detail.data`), JSON arrays and NDJSON of
 *   bare Auth0 events → `auth0-log` with bare events, each located by record and line number.
 *
 * Every batch's tenant comes from the settings (./tenant.ts: --tenant, the source's settings,
 * else a fixed default), never from a record's content: a file cannot create tenants.
 *
 * gzip-compressed files are read through gunzip. Nothing is read whole: a 1 GB file streams
 * in 1 MiB chunks. A record that cannot be read is a rejection with file, line or record number
 * and reason; a file that cannot be read at all is a `file-error`; neither stops the others.
 */
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import type { RawBatch, Rejection } from "../../core/types.ts";
import { errorMessage } from "../../core/errors.ts";
import { readConsoleCsv } from "../console-csv/read-console-csv.ts";
import { detectEncoding } from "../console-csv/encoding.ts";
import { detectFormat, isGzip, type FileFormat } from "./detect-format.ts";
import { splitJsonValues } from "./json-values.ts";
import { auth0EventHostname, auth0Tenant, auth0TenantSetting, consoleTenant, type TenantSettings } from "./tenant.ts";
import { walkFiles } from "./walk.ts";

export interface ReadFilesOptions extends TenantSettings {
  /** Records per batch (default 1000). */
  batchSize?: number;
}

/** What a file turned out to be, for the summary. */
export type FileKind = "console-csv" | "auth0-stream" | "ndjson" | "json-array";

export type FileItem =
  | { kind: "file-start"; file: string; size: number; format: FileFormat }
  /** `read`: records in this batch plus those rejected while reading (`rejections`). */
  | { kind: "batch"; file: string; batch: RawBatch; rejections: Rejection[]; read: number }
  | { kind: "file-end"; file: string; fileKind: FileKind; detail: string }
  /** The file could not be read at all (missing, unknown format, bad header, I/O error). */
  | { kind: "file-error"; file: string; reason: string };

const SAMPLE_BYTES = 64 * 1024;
const CHUNK_BYTES = 1024 * 1024;

interface Peeked {
  sample: Buffer;
  complete: boolean;
  chunks: AsyncIterable<Buffer>;
}

/** Read the first chunks of a stream for detection, and give back a stream that replays them. */
async function peek(source: AsyncIterable<Buffer>): Promise<Peeked> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let bytes = 0;
  let complete = false;
  while (bytes < SAMPLE_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      complete = true;
      break;
    }
    head.push(next.value);
    bytes += next.value.length;
  }
  async function* replay(): AsyncGenerator<Buffer> {
    yield* head;
    if (complete) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { sample: Buffer.concat(head), complete, chunks: replay() };
}

async function openFile(path: string, size: number): Promise<Peeked & { gzip: boolean; close: () => void }> {
  // A small file (Firehose writes thousands) is read in one call: a stream costs more than its bytes.
  const stream = size <= SAMPLE_BYTES ? null : createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const close = () => stream?.destroy();
  try {
    const raw = stream
      ? await peek(stream as AsyncIterable<Buffer>)
      : await peek((async function* () { yield await readFile(path); })());
    if (!isGzip(raw.sample)) return { ...raw, gzip: false, close };
    // Start again through gunzip (the peeked chunks are replayed into it).
    const gunzip = createGunzip();
    (async () => {
      try {
        for await (const chunk of raw.chunks) if (!gunzip.write(chunk)) await new Promise((r) => gunzip.once("drain", r));
        gunzip.end();
      } catch (error) {
        gunzip.destroy(error as Error);
      }
    })();
    return { ...(await peek(gunzip as AsyncIterable<Buffer>)), gzip: true, close: () => { gunzip.destroy(); close(); } };
  } catch (error) {
    close();
    throw error;
  }
}

/** Read every file under `paths` (see the module comment). */
export async function* readFiles(paths: string[], options: ReadFilesOptions = {}): AsyncGenerator<FileItem> {
  for await (const item of walkFiles(paths)) {
    if ("error" in item) {
      yield { kind: "file-error", file: item.path, reason: item.error };
      continue;
    }
    yield* readOneFile(item.path, item.size, options);
  }
}

/** Read one file (see the module comment). */
export async function* readOneFile(file: string, size: number, options: ReadFilesOptions = {}): AsyncGenerator<FileItem> {
  let opened: Peeked & { gzip: boolean; close: () => void };
  try {
    opened = await openFile(file, size);
  } catch (error) {
    yield { kind: "file-error", file, reason: errorMessage(error) };
    return;
  }
  const format = detectFormat(opened.sample, opened.complete);
  yield { kind: "file-start", file, size, format };
  const gz = opened.gzip ? ", gzip" : "";
  try {
    if (format === "console-csv") {
      const encoding = detectEncoding(opened.sample, opened.complete);
      const bom = opened.sample[0] === 0xef && opened.sample[1] === 0xbb && opened.sample[2] === 0xbf;
      const tenant = consoleTenant(options);
      for await (const { rows, rejections } of readConsoleCsv(opened.chunks, { origin: file, batchSize: options.batchSize, encoding })) {
        yield { kind: "batch", file, batch: { format: "console-rows", rows, origin: file, tenant }, rejections, read: rows.length + rejections.length };
      }
      const encodingText = encoding === "cp932" ? "Shift-JIS" : encoding === "utf-8" ? (bom ? "UTF-8 with BOM" : "UTF-8") : encoding.toUpperCase();
      yield { kind: "file-end", file, fileKind: "console-csv", detail: `console CSV, ${encodingText}${gz}` };
    } else if (format === "json") {
      const isArray = /^(\uFEFF)?\s*\[/.test(opened.sample.subarray(0, 256).toString("utf8"));
      const { kind, detail } = yield* readAuth0Json(file, opened.chunks, isArray, options);
      yield { kind: "file-end", file, fileKind: kind, detail: `${detail}${gz}` };
    } else {
      yield { kind: "file-error", file, reason: "not a recognised format (expected a console audit-log CSV with its header, a JSON array, NDJSON, or Auth0 log-stream JSON)" };
    }
  } catch (error) {
    yield { kind: "file-error", file, reason: errorMessage(error) };
  } finally {
    // Release the file (an unrecognised or failed file is not read to its end).
    opened.close();
  }
}

function isEnvelope(value: unknown): value is { detail: { data: unknown } } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  const detail = v.detail;
  return typeof detail === "object" && detail !== null && "data" in detail && ("detail-type" in v || "source" in v || "version" in v);
}

/** Distinct hostnames counted per file, for the note on them (a bound: the count is "at least" past it). */
const MAX_COUNTED_HOSTNAMES = 1000;

/**
 * Read one JSON file of Auth0 events. All its events belong to one tenant, named by the settings
 * (`auth0Tenant`), never by an event's `hostname`. When no setting names the tenant and the
 * events carry several hostnames, the file's detail says how many, once, and how to split them.
 */
async function* readAuth0Json(
  file: string,
  chunks: AsyncIterable<Buffer>,
  isArray: boolean,
  options: ReadFilesOptions,
): AsyncGenerator<FileItem, { kind: FileKind; detail: string }> {
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const tenant = auth0Tenant(options);
  const named = auth0TenantSetting(options) !== null;
  const hostnames = new Set<string>();
  let records: { record: unknown; locator: string }[] = [];
  let rejections: Rejection[] = [];
  let envelopes = 0;
  let values = 0;

  const flush = function* (): Generator<FileItem> {
    const batch: RawBatch = { format: "auth0-log", records, origin: file, tenant };
    yield { kind: "batch", file, batch, rejections, read: records.length + rejections.length };
    records = [];
    rejections = [];
  };

  const splitter = splitJsonValues(chunks);
  for await (const item of splitter) {
    const locator = `record ${item.record} (line ${item.line})`;
    if (!item.ok) {
      rejections.push({ origin: file, locator, reason: item.reason });
      // A file of broken records alone: hand them on in batches, never piled up.
      if (rejections.length >= batchSize) yield* flush();
      continue;
    }
    values += 1;
    let record = item.value;
    if (isEnvelope(record)) {
      envelopes += 1;
      record = record.detail.data;
    }
    if (!named && hostnames.size < MAX_COUNTED_HOSTNAMES) {
      const hostname = auth0EventHostname(record);
      if (hostname !== null) hostnames.add(hostname.slice(0, 255));
    }
    records.push({ record, locator });
    if (records.length >= batchSize) yield* flush();
  }
  if (records.length > 0 || rejections.length > 0) yield* flush();
  const kind: FileKind = envelopes > 0 ? "auth0-stream" : isArray ? "json-array" : "ndjson";
  const described = { "auth0-stream": "Auth0 log stream (EventBridge envelopes)", "json-array": "JSON array of Auth0 events", ndjson: "NDJSON of Auth0 events" };
  const many = hostnames.size >= MAX_COUNTED_HOSTNAMES ? `${MAX_COUNTED_HOSTNAMES} or more` : String(hostnames.size);
  const note = hostnames.size > 1
    ? `; ${many} distinct hostnames, all stored under tenant "${tenant}": import each tenant's files with --tenant NAME to keep them apart`
    : "";
  return { kind, detail: `${described[kind as keyof typeof described]}, ${values} value${values === 1 ? "" : "s"}${note}` };
}
