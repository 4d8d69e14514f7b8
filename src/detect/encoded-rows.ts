/**
 * A baseline month's encoded rows, read several times by the fit (moments, the robust refit, the
 * month's own distances): in memory for a batch already held, or spilled to a temporary file as
 * the month is encoded chunk by chunk, so that a month of millions of events is fitted without
 * holding its vectors (9M events × 14 features are 1 GB). The file is read back a block at a time.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../core/errors.ts";

/** Rows read back from a spill file at a time (8,192 × 14 features × 8 bytes ≈ 0.9 MB). */
export const ROWS_PER_BLOCK = 8192;

/** Rows of `d` columns, visited in order a block at a time. */
export interface EncodedRows {
  readonly n: number;
  readonly d: number;
  /**
   * Visit every row in order: `data` holds `rows` rows (row-major) from row `first` on. `data` may
   * be reused for the next block: the visitor must not keep it.
   */
  forEachBlock(visit: (data: Float64Array, rows: number, first: number) => void): void;
}

/** Rows already in memory, visited as one block. */
export function rowsInMemory(data: Float64Array, n: number, d: number): EncodedRows {
  return { n, d, forEachBlock: (visit) => { if (n > 0) visit(data, n, 0); } };
}

/** Rows appended to a temporary file (deleted by `close`). */
export class SpilledRows implements EncodedRows {
  readonly d: number;
  n = 0;
  private readonly folder: string;
  private readonly fd: number;

  constructor(d: number, parent = tmpdir()) {
    this.d = d;
    try {
      this.folder = mkdtempSync(join(parent, "kansa-fit-"));
      this.fd = openSync(join(this.folder, "rows.f64"), "w+");
    } catch (error) {
      throw new ConfigError(`Fitting the baseline needs a temporary file in ${parent}, which could not be created: ${(error as Error).message}. Set TMPDIR to a writable folder.`, { cause: error });
    }
  }

  /** Append `rows` rows from the start of `data`. */
  append(data: Float64Array, rows: number): void {
    const bytes = Buffer.from(data.buffer, data.byteOffset, rows * this.d * 8);
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written, this.n * this.d * 8 + written);
    } catch (error) {
      const sofar = Math.round((this.n * this.d * 8 + written) / 1e6);
      throw new ConfigError(`Fitting the baseline needs a temporary file of 8 bytes per feature and event (${sofar} MB written so far in ${this.folder}), and writing it failed: ${(error as Error).message}. Set TMPDIR to a folder with room.`, { cause: error });
    }
    this.n += rows;
  }

  forEachBlock(visit: (data: Float64Array, rows: number, first: number) => void): void {
    const rowBytes = this.d * 8;
    if (rowBytes === 0) return;
    const block = new Float64Array(ROWS_PER_BLOCK * this.d);
    const bytes = Buffer.from(block.buffer);
    for (let first = 0; first < this.n; first += ROWS_PER_BLOCK) {
      const rows = Math.min(ROWS_PER_BLOCK, this.n - first);
      const want = rows * rowBytes;
      let read = 0;
      while (read < want) {
        const got = readSync(this.fd, bytes, read, want - read, first * rowBytes + read);
        if (got === 0) throw new Error(`The baseline's temporary file ended at byte ${first * rowBytes + read} of ${this.n * rowBytes}.`);
        read += got;
      }
      visit(block, rows, first);
    }
  }

  /** Delete the file. */
  close(): void {
    closeSync(this.fd);
    rmSync(this.folder, { recursive: true, force: true });
  }
}
