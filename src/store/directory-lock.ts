/**
 * A lock file that makes a folder one process's at a time (the embedded database). The file
 * records the owner's pid and what it is doing there ("run" for the daily job and backfill,
 * "command" for anything else), so that a caller can decide by the owner's work whether to
 * wait for it; a lock whose owner is no longer running is taken over.
 */
import { randomUUID } from "node:crypto";
import { linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { StoreError } from "../core/errors.ts";

/** Who holds a folder's lock. */
export interface LockOwner {
  pid: number;
  /** What the owner does: "run" (the daily job, a backfill) or "command" (status, score, import…). */
  doing: string;
}

export interface DirectoryLockOptions {
  /** How long to wait for a live owner to let go (default 30 s). */
  waitMs?: number;
  /** What this process will do while it holds the folder, recorded in the file (default "command"). */
  doing?: string;
  /**
   * Called each time a live owner is found, with how long this caller has waited so far; it may
   * throw to stop waiting (a run finding another run) or return to keep waiting up to `waitMs`.
   */
  onBusy?: (owner: LockOwner, waitedMs: number) => void;
}

function ownerIsRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The owner recorded in the lock file at `path`; null when there is none. An older kansa wrote the bare pid. */
export function readLockOwner(path: string): LockOwner | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch {
    return null;
  }
  if (/^\d+$/.test(text)) return { pid: Number(text), doing: "command" };
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    return { pid: Number(parsed.pid), doing: String(parsed.doing ?? "command") };
  } catch {
    return { pid: NaN, doing: "command" };
  }
}

/** The error of a lock file that could not be written; a full disk says so and what to do. */
function lockFileError(path: string, error: unknown): StoreError {
  const message = (error as Error).message;
  if ((error as NodeJS.ErrnoException).code === "ENOSPC") {
    return new StoreError(`The disk holding ${dirname(path)} is full: kansa could not write its lock file ${path} (${message}). Nothing was written. Free space on that disk, then run the command again.`, {
      code: "E_DISK_FULL",
      cause: error,
    });
  }
  return new StoreError(`Could not create the lock file ${path}: ${message}`, { cause: error });
}

/**
 * Create the lock file with its content in one step: the content goes to a file of our own,
 * which is then hard-linked to `path` (failing with EEXIST when the lock is taken). Writing into
 * a freshly created lock file instead would let another process read it empty in between and
 * take it for a dead owner's.
 */
function createLockFile(path: string, owner: LockOwner): boolean {
  const own = `${path}.${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    writeFileSync(own, `${JSON.stringify(owner)}\n`);
  } catch (error) {
    rmSync(own, { force: true });
    throw lockFileError(path, error);
  }
  try {
    linkSync(own, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw lockFileError(path, error);
  } finally {
    rmSync(own, { force: true });
  }
}

/**
 * Take the lock at `path`, waiting up to `options.waitMs` for another process to let go.
 * `what` names the guarded thing in the error. Returns the release function.
 */
export async function acquireDirectoryLock(path: string, what: string, options: DirectoryLockOptions = {}): Promise<() => Promise<void>> {
  const started = Date.now();
  const waitMs = options.waitMs ?? 30_000;
  const me: LockOwner = { pid: process.pid, doing: options.doing ?? "command" };
  for (;;) {
    if (createLockFile(path, me)) {
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
      };
    }
    const owner = readLockOwner(path);
    if (owner === null) continue; // released between our attempt and the read
    if (!ownerIsRunning(owner.pid)) {
      rmSync(path, { force: true }); // a crashed run left it behind
      continue;
    }
    const waited = Date.now() - started;
    options.onBusy?.(owner, waited);
    if (waited >= waitMs) {
      const who = owner.doing === "run" ? `A kansa run or backfill (pid ${owner.pid})` : `Another kansa process (pid ${owner.pid})`;
      throw new StoreError(`${who} is using ${what}; wait for it to finish or stop it, then try again.`);
    }
    await sleep(200);
  }
}
