/** The Run table: what each command run did (counts, errors, duration). */
import type { Database } from "./database.ts";
import type { JsonValue } from "../core/types.ts";

/** "interrupted": the process ended (killed, restarted) before the run finished; see startRun. */
export type RunStatus = "running" | "ok" | "failed" | "partial" | "interrupted";

export interface StartRunOptions {
  /** The caller holds the run lock, so no other run of its kind is alive (the daily job). */
  exclusive?: boolean;
}

/**
 * Record the start of a run; returns its id. Runs left "running" by a process that is gone are
 * marked "interrupted" first, where that is certain: on the embedded database (one process at a
 * time holds its folder) those that started before this process did, and for an exclusive run
 * the earlier runs of its kind.
 */
export async function startRun(db: Database, kind: string, day: string | null = null, options: StartRunOptions = {}): Promise<number> {
  const processStarted = new Date(Date.now() - process.uptime() * 1000);
  const stale = [
    ...(options.exclusive ? [{ kind }] : []),
    ...(db.kind === "pglite" ? [{ startedAt: { lt: processStarted } }] : []),
  ];
  if (stale.length > 0) {
    await db.prisma.run.updateMany({
      where: { status: "running", OR: stale },
      data: { status: "interrupted", errors: ["the process ended before this run finished (killed or restarted)"] },
    });
  }
  const row = await db.prisma.run.create({ data: { kind, day, status: "running" } });
  return row.id;
}

/** Record how a run ended. */
export async function finishRun(
  db: Database,
  id: number,
  status: Exclude<RunStatus, "running">,
  stats: { [key: string]: JsonValue },
  errors: string[] = [],
): Promise<void> {
  await db.prisma.run.update({ where: { id }, data: { status, stats, errors, finishedAt: new Date() } });
}
