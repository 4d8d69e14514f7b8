/** The Run table: what each command run did (counts, errors, duration). */
import type { Database } from "./database.ts";
import { type JsonValue, DEFAULT_ORGANISATION } from "../core/types.ts";
import { StoreError } from "../core/errors.ts";
import { now } from "../core/clock.ts";

/** "interrupted": the process ended (killed, restarted) before the run finished; see startRun. */
export type RunStatus = "running" | "ok" | "failed" | "partial" | "interrupted";

export interface StartRunOptions {
  /** The caller holds the run lock, so no other run of its kind (and organisation) is alive (the daily job). */
  exclusive?: boolean;
  /** The organisation it runs for (default "default"). */
  org?: string;
}

/**
 * The lock a run holds from before its row exists until it finishes: a `running` row whose lock
 * nobody holds belongs to a process that is gone. On PostgreSQL it is a session advisory lock,
 * which the server lets go of when the process's connection ends, however the process ended
 * (SIGKILL, a dyno restarted, a machine lost): nothing to clean up and no clock to trust, and
 * it works across dynos, where a pid or hostname on the row could not be checked and a heartbeat
 * would need a timer and a staleness threshold. On the embedded database the data folder is one
 * process's at a time, so the runs alive are exactly those this process started and has not
 * finished (see Database.tryLock).
 */
export function runLockName(id: number): string {
  return `kansa:run:${id}`;
}

const INTERRUPTED_ERROR = "the process ended before this run finished (killed or restarted)";

/** The release functions of the runs this process has started and not finished, per database. */
const liveRuns = new WeakMap<Database, Map<number, () => Promise<void>>>();

/**
 * Mark `running` rows whose process is gone as `interrupted` (their run lock is free); with
 * `kind`, only runs of that kind. Returns how many were marked.
 */
export async function markInterruptedRuns(db: Database, kind?: string): Promise<number> {
  const running = await db.prisma.run.findMany({ where: { status: "running", ...(kind ? { kind } : {}) }, select: { id: true } });
  const gone: number[] = [];
  for (const { id } of running) if (!(await db.isLocked(runLockName(id)))) gone.push(id);
  if (gone.length === 0) return 0;
  // `status: "running"` again: a run that finished meanwhile keeps what it recorded.
  const { count } = await db.prisma.run.updateMany({ where: { id: { in: gone }, status: "running" }, data: { status: "interrupted", errors: [INTERRUPTED_ERROR] } });
  return count;
}

/**
 * Record the start of a run; returns its id. The run holds its lock (runLockName) until
 * finishRun. Runs left "running" by a process that is gone are marked "interrupted" first: on
 * the embedded database all of them, and for an exclusive run the earlier runs of its kind.
 */
export async function startRun(db: Database, kind: string, day: string | null = null, options: StartRunOptions = {}): Promise<number> {
  if (options.exclusive) {
    await db.prisma.run.updateMany({ where: { status: "running", kind, org: options.org ?? DEFAULT_ORGANISATION }, data: { status: "interrupted", errors: [INTERRUPTED_ERROR] } });
  }
  if (db.kind === "pglite") await markInterruptedRuns(db);
  // The id is drawn first and locked before the row exists, so that no reader ever sees the row
  // without its lock (and takes the run for a dead one).
  const [drawn] = await db.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('"Run"', 'id'))::int AS id`);
  const id = Number(drawn?.id);
  const release = await db.tryLock(runLockName(id));
  if (!release) throw new StoreError(`Could not take the lock of the new run ${id}: another process holds it.`);
  try {
    await db.prisma.run.create({ data: { id, kind, day, org: options.org ?? DEFAULT_ORGANISATION, status: "running", startedAt: now() } });
  } catch (error) {
    await release();
    throw error;
  }
  let live = liveRuns.get(db);
  if (!live) liveRuns.set(db, (live = new Map()));
  live.set(id, release);
  return id;
}

/** Record how a run ended, and let go of its lock. */
export async function finishRun(
  db: Database,
  id: number,
  status: Exclude<RunStatus, "running">,
  stats: { [key: string]: JsonValue },
  errors: string[] = [],
): Promise<void> {
  try {
    await db.prisma.run.update({ where: { id }, data: { status, stats, errors, finishedAt: now() } });
  } finally {
    const live = liveRuns.get(db);
    const release = live?.get(id);
    live?.delete(id);
    await release?.();
  }
}
