/**
 * The embedded database's folder on disk (KANSA_DATA_DIR/pglite): the free space it needs, other
 * programs that have it open, and keeping it out of their reach while kansa has it.
 *
 * PGlite is one process's database: two PostgreSQLs on one folder corrupt it. kansa's own lock
 * file (./directory-lock.ts) keeps other kansa processes out, but another program (a script or a
 * server using PGlite) does not know it. Worse, such a program's PGlite runs crash recovery on a
 * folder kansa is writing, and its close() checkpoints that older view over kansa's later writes,
 * leaving the folder unopenable ("Aborted()"; issue 21, point 7). No lock stops a program that
 * ignores locks, so while kansa has the database open it lives under another name
 * (`pglite.in-use-by-kansa`), and goes back to `pglite` when kansa closes it.
 */
import { existsSync, readFileSync, readdirSync, readlinkSync, renameSync, statfsSync } from "node:fs";
import { basename, dirname, join, sep } from "node:path";
import { StoreError, errorMessage } from "../core/errors.ts";

/** The folder's name while kansa has the database open. */
const IN_USE_SUFFIX = ".in-use-by-kansa";

/**
 * Free space (bytes) the embedded database's disk must keep before kansa writes in bulk (a COPY
 * batch, a large parameter). PostgreSQL inside PGlite writes its WAL in 16 MB segments; when it
 * cannot create the next one it PANICs, and PGlite never answers again (a query after that spins
 * at 100% CPU for ever: the hang of issue 21). Checking before each batch that the batch, its
 * indexes and WAL, and a few segments more fit means kansa stops between two batches with a
 * sentence instead. The check is advice (another program can fill the disk between it and the
 * write): the fatal errors themselves are caught too (see database.ts, `stopsDatabase`).
 */
export const PGLITE_MIN_FREE_BYTES = 64 * 1024 * 1024;
/**
 * Free space needed to open the embedded database at all: opening replays the WAL after a crash
 * and closing writes a checkpoint, either of which may need a new 16 MB WAL segment. With less,
 * PGlite fails with "Aborted()" (or "PGlite failed to initialize properly", "...: undefined").
 */
export const PGLITE_OPEN_FREE_BYTES = 24 * 1024 * 1024;

/** Bytes this process may still write on the filesystem holding `path`; null where statfs cannot tell. */
export function freeBytes(path: string): number | null {
  try {
    const s = statfsSync(path);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

const megabytes = (bytes: number): string => `${Math.floor(bytes / (1024 * 1024))} MB`;

/** The error of a disk too full for the embedded database at `dir`; `ranOut` when a write failed, not the check before it. */
export function diskFullError(dir: string, free: number | null, options: { ranOut?: unknown; needed?: number } = {}): StoreError {
  const left = free === null ? "" : ` (${megabytes(free)} free)`;
  const what =
    options.ranOut === undefined
      ? `Not enough free disk space for the embedded database at ${dir}${left}: kansa needs at least ${megabytes(options.needed ?? PGLITE_MIN_FREE_BYTES)} free to go on, because PostgreSQL inside PGlite cannot recover from running out in the middle of a write. Nothing was written past this point; what was stored before stays.`
      : `The disk holding the embedded database at ${dir} ran full${left}: ${errorMessage(options.ranOut)}. kansa stopped at once; the transaction in progress was rolled back, and what was stored before stays.`;
  return new StoreError(`${what} Free space on that disk (or set KANSA_DATA_DIR to a folder on a larger one), then run the command again.`, {
    code: "E_DISK_FULL",
    ...(options.ranOut === undefined ? {} : { cause: options.ranOut }),
  });
}

/** A process other than this one with a file of the embedded database open. */
export interface FolderHolder {
  pid: number;
  /** Its command line (shortened), or "" when unreadable. */
  command: string;
}

/**
 * The processes other than this one that have a file inside `dir` open, read from /proc (Linux,
 * where kansa runs: Heroku, CI, this machine). Elsewhere, or for processes whose /proc entries
 * this user may not read, nothing is found, and kansa relies on its own lock file and on the
 * folder's other name while it is open.
 *
 * Why open files and not a lock file: PGlite writes PostgreSQL's `postmaster.pid` while it has the
 * folder, but always with the pid -42 (its WebAssembly process's, not a real one), leaves it behind
 * after a crash, and a second PGlite takes it for its own and opens the folder regardless (tried:
 * it does even when the first line holds a live pid). So the file says neither whether nor who.
 * PostgreSQL keeps its WAL and relation files open while it runs, and PGlite's file system maps
 * each to a real descriptor of the process, so a live owner always shows under /proc/PID/fd.
 */
export function foreignHolders(dir: string): FolderHolder[] {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  } catch {
    return [];
  }
  const inside = (target: string) => target === dir || target.startsWith(dir + sep);
  const holders: FolderHolder[] = [];
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    const holds = fds.some((fd) => {
      try {
        return inside(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
    if (!holds) continue;
    let command = "";
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ").slice(0, 160);
    } catch {
      // gone meanwhile: still named by its pid
    }
    holders.push({ pid: Number(pid), command });
  }
  return holders;
}

/** The error of a folder that another program than kansa has open. */
export function folderInUseError(dir: string, holders: FolderHolder[]): StoreError {
  const who = holders.map((h) => `process ${h.pid}${h.command ? ` (${h.command})` : ""}`).join(", ");
  return new StoreError(
    `The embedded database at ${dir} is open in another program than kansa: ${who}. Two programs writing it at once would corrupt it, so kansa stops here without writing. Close that program (or wait for it to finish), then run the command again.`,
    { code: "E_FOLDER_IN_USE" },
  );
}

/** Where the database at `home` lives while kansa has it open. */
export function inUsePath(home: string): string {
  return home + IN_USE_SUFFIX;
}

/** Renames `path` to a free name beside it ("pglite.set-aside-<time>") and says so through `warn`. */
function setAside(path: string, why: string, warn: (message: string) => void): void {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  let target = join(dirname(path), `${basename(path)}.set-aside-${stamp}`);
  for (let n = 2; existsSync(target); n++) target = join(dirname(path), `${basename(path)}.set-aside-${stamp}-${n}`);
  renameSync(path, target);
  warn(`${why} kansa moved it to ${target} and left it untouched there; delete it once you have looked at it.`);
}

/**
 * Takes the database folder `home` for this process (which holds kansa's lock on it): renames it
 * to its in-use name and returns that path, where PGlite is to open it. A folder still under the
 * in-use name was left by a kansa that did not close it (killed, crashed): it is the database,
 * and is taken as it is (PostgreSQL's recovery replays its WAL). A `home` found beside it then
 * was made by another program meanwhile (PGlite creates an empty database where it finds none),
 * and is set aside with a warning.
 */
export function takeFolder(home: string, warn: (message: string) => void): string {
  const open = inUsePath(home);
  if (existsSync(open)) {
    if (existsSync(home)) {
      setAside(home, `Found ${home} beside the embedded database that a kansa which did not close left at ${open}: another program made it while kansa had the database.`, warn);
    }
  } else if (existsSync(home)) {
    renameSync(home, open);
  }
  return open;
}

/**
 * Gives the database folder back its own name once this process has closed it. A `home` that
 * exists by now was made by another program while kansa had the database (under the other name,
 * the program found none there and PGlite created an empty one). If that program has it open
 * still, the database stays under its in-use name (renaming it to `home` would put it under the
 * program's later writes) and the next kansa command takes it from there; else `home` is set
 * aside. Either way `warn` says so. A failure leaves the folder where the next `takeFolder` finds it.
 */
export function giveBackFolder(home: string, warn: (message: string) => void): void {
  const open = inUsePath(home);
  try {
    if (existsSync(home)) {
      const holders = foreignHolders(home);
      if (holders.length > 0) {
        const who = holders.map((h) => `process ${h.pid}`).join(", ");
        warn(`Another program (${who}) created ${home} while kansa had the embedded database open under ${basename(open)}, and has it open still: kansa's database stays at ${open} until the next kansa command, which takes it back once that program has closed.`);
        return;
      }
      setAside(home, `Another program created ${home} while kansa had the embedded database open under ${basename(open)}.`, warn);
    }
    renameSync(open, home);
  } catch (error) {
    warn(`Could not rename the embedded database folder ${open} back to ${home}: ${errorMessage(error)}. The next kansa command takes it back from there.`);
  }
}
