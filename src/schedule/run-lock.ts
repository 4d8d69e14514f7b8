/**
 * One daily job (or backfill) at a time per database: overlapping runs (a Scheduler job and a
 * manual run, two workers) would otherwise double-send. The second waits for the first up to
 * `waitMs`, then gives up with a sentence. On the embedded database the second run meets the
 * first at the data folder already, and stops there with the same sentence (see `runLock` in
 * openDatabase): this lock then only keeps one process's callers apart.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { runInProgressError, type Database } from "../store/database.ts";
import { DEFAULT_ORGANISATION } from "../core/types.ts";

export const RUN_LOCK = "kansa:daily-job";

/** The run lock of one organisation's daily job (the single-organisation settings' is RUN_LOCK). */
export function runLockOf(organisation: string): string {
  return organisation === DEFAULT_ORGANISATION ? RUN_LOCK : `${RUN_LOCK}:${organisation}`;
}

/** Run `work` holding the run lock (`name`, default RUN_LOCK); throws E_LOCKED when another run keeps it past `waitMs`. */
export async function withRunLock<T>(db: Database, work: () => Promise<T>, options: { name?: string; waitMs?: number; onWait?: () => void } = {}): Promise<T> {
  const deadline = Date.now() + (options.waitMs ?? 0);
  const name = options.name ?? RUN_LOCK;
  let release = await db.tryLock(name);
  if (!release) options.onWait?.();
  while (!release) {
    if (Date.now() >= deadline) {
      throw runInProgressError(db.describe);
    }
    await sleep(1000);
    release = await db.tryLock(name);
  }
  try {
    return await work();
  } finally {
    await release();
  }
}
