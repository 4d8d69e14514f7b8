/**
 * The generic files reader behind `kansa import`: walks files and folders, opens each (through
 * gunzip when it is gzip-compressed), asks every registered source's file formats which one it
 * is (src/sources/contract.ts, FileFormat.detect: the most certain wins, a tie goes to the first
 * listed), and streams it through that format's reader into RawBatches ready for the ingest.
 *
 * Every batch's tenant comes from the settings (--tenant, else the source's settings, else a
 * fixed default), never from a record's content: a file cannot create tenants.
 *
 * Nothing is read whole: a 1 GB file streams in 1 MiB chunks. A record that cannot be read is a
 * rejection with file, line or record number and reason; a file that cannot be read at all is a
 * `file-error`; neither stops the others.
 */
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import type { Config } from "../../core/config.ts";
import type { RawBatch, Rejection } from "../../core/types.ts";
import { errorMessage } from "../../core/errors.ts";
import type { FileFormat } from "../contract.ts";
import { isGzip } from "./detect-format.ts";
import { walkFiles } from "./walk.ts";

export interface ReadFilesOptions {
  /** The formats to recognise, in registry order (src/sources/registry.ts, fileFormats). */
  formats: readonly FileFormat[];
  /** The settings the formats read their tenant from (none set: each format's default tenant). */
  config: Partial<Config>;
  /** `--tenant` on the command line: wins for every file. */
  tenant?: string | undefined;
  /** Records per batch (default 1000). */
  batchSize?: number;
}

export type FileItem =
  | { kind: "file-start"; file: string; size: number }
  /** `read`: records in this batch plus those rejected while reading (`rejections`). */
  | { kind: "batch"; file: string; batch: RawBatch; rejections: Rejection[]; read: number }
  | { kind: "file-end"; file: string; detail: string }
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
export async function* readFiles(paths: string[], options: ReadFilesOptions): AsyncGenerator<FileItem> {
  for await (const item of walkFiles(paths)) {
    if ("error" in item) {
      yield { kind: "file-error", file: item.path, reason: item.error };
      continue;
    }
    yield* readOneFile(item.path, item.size, options);
  }
}

/** The format of a file from its first bytes: the most certain, the first listed on a tie; null when none fits. */
export function detectFormat(formats: readonly FileFormat[], sample: Buffer, complete: boolean): FileFormat | null {
  let best: FileFormat | null = null;
  let bestRank = 0;
  for (const format of formats) {
    const verdict = format.detect(sample, complete);
    const rank = verdict === "certain" ? 2 : verdict === "possible" ? 1 : 0;
    if (rank > bestRank) [best, bestRank] = [format, rank];
  }
  return best;
}

/** Read one file (see the module comment). */
export async function* readOneFile(file: string, size: number, options: ReadFilesOptions): AsyncGenerator<FileItem> {
  let opened: Peeked & { gzip: boolean; close: () => void };
  try {
    opened = await openFile(file, size);
  } catch (error) {
    yield { kind: "file-error", file, reason: errorMessage(error) };
    return;
  }
  const format = detectFormat(options.formats, opened.sample, opened.complete);
  yield { kind: "file-start", file, size };
  try {
    if (format === null) {
      yield { kind: "file-error", file, reason: `not a recognised format (expected ${options.formats.map((f) => f.expected).join(", ")})` };
      return;
    }
    const reader = format.read(opened.chunks, {
      file,
      sample: opened.sample,
      complete: opened.complete,
      tenant: options.tenant,
      config: options.config,
      batchSize: options.batchSize ?? 1000,
    });
    let next = await reader.next();
    for (; !next.done; next = await reader.next()) yield { kind: "batch", file, ...next.value };
    yield { kind: "file-end", file, detail: `${next.value}${opened.gzip ? ", gzip" : ""}` };
  } catch (error) {
    yield { kind: "file-error", file, reason: errorMessage(error) };
  } finally {
    // Release the file (an unrecognised or failed file is not read to its end).
    opened.close();
  }
}
