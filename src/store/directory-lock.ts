/**
 * A lock file that makes a folder one process's at a time (the embedded database). The file
 * holds the owner's pid; a lock whose owner is no longer running is taken over.
 */
import { openSync, closeSync, readFileSync, rmSync, writeSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { StoreError } from "../core/errors.ts";

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

/**
 * Take the lock at `path`, waiting up to `waitMs` for another process to let go.
 * `what` names the guarded thing in the error. Returns the release function.
 */
export async function acquireDirectoryLock(path: string, what: string, waitMs = 30_000): Promise<() => Promise<void>> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new StoreError(`Could not create the lock file ${path}: ${(error as Error).message}`, { cause: error });
      }
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(path, "utf8").trim());
    } catch {
      continue; // released between our attempt and the read
    }
    if (!ownerIsRunning(owner)) {
      rmSync(path, { force: true }); // a crashed run left it behind
      continue;
    }
    if (Date.now() >= deadline) {
      throw new StoreError(`Another kansa process (pid ${owner}) is using ${what}; wait for it to finish or stop it, then try again.`);
    }
    await sleep(200);
  }
}
