/** The Run table: what each command run did (counts, errors, duration). */
import type { Database } from "./database.ts";
import type { JsonValue } from "../core/types.ts";

export type RunStatus = "running" | "ok" | "failed" | "partial";

/** Record the start of a run; returns its id. */
export async function startRun(db: Database, kind: string, day: string | null = null): Promise<number> {
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
