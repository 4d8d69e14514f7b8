/**
 * One daily job (or backfill) at a time per database: overlapping runs (a Scheduler job and a
 * manual run, two workers) would otherwise double-send. The second waits for the first up to
 * `waitMs`, then gives up with a sentence. On the embedded database the second run meets the
 * first at the data folder already, and stops there with the same sentence (see `runLock` in
 * openDatabase): this lock then only keeps one process's callers apart.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { runInProgressError, type Database } from "../store/database.ts";

export const RUN_LOCK = "kansa:daily-job";

/** Run `work` holding the run lock; throws E_LOCKED when another run keeps it past `waitMs`. */
export async function withRunLock<T>(db: Database, work: () => Promise<T>, options: { waitMs?: number; onWait?: () => void } = {}): Promise<T> {
  const deadline = Date.now() + (options.waitMs ?? 0);
  let release = await db.tryLock(RUN_LOCK);
  if (!release) options.onWait?.();
  while (!release) {
    if (Date.now() >= deadline) {
      throw runInProgressError(db.describe);
    }
    await sleep(1000);
    release = await db.tryLock(RUN_LOCK);
  }
  try {
    return await work();
  } finally {
    await release();
  }
}
