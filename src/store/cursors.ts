/** Where each pulling source resumes (SourceCursor table). */
import type { Database } from "./database.ts";

export interface CursorState {
  cursor: string;
  lastSuccessAt: Date | null;
  updatedAt: Date;
}

/**
 * The cursor's age, one meaning for the daily report, `kansa report` and `kansa status`: hours
 * since the source's last pull that finished without error (a failed pull that stored part of
 * its range leaves it growing), null before the first such pull.
 */
export function cursorAgeHours(state: { lastSuccessAt: Date | null } | null, now: Date): number | null {
  return state?.lastSuccessAt ? Math.max(0, (now.getTime() - state.lastSuccessAt.getTime()) / 3_600_000) : null;
}

/** The stored cursor of a source and tenant, or null before the first pull. */
export async function readCursor(db: Database, source: string, tenant: string): Promise<CursorState | null> {
  const row = await db.prisma.sourceCursor.findUnique({ where: { source_tenant: { source, tenant } } });
  return row ? { cursor: row.cursor, lastSuccessAt: row.lastSuccessAt, updatedAt: row.updatedAt } : null;
}

/** Store the cursor after the batch it points past has been stored (store-then-advance). */
export async function saveCursor(db: Database, source: string, tenant: string, cursor: string): Promise<void> {
  await db.prisma.sourceCursor.upsert({
    where: { source_tenant: { source, tenant } },
    create: { source, tenant, cursor },
    update: { cursor },
  });
}

/** Record that a pull of this source finished without error. */
export async function markSourceSuccess(db: Database, source: string, tenant: string, at: Date): Promise<void> {
  await db.prisma.sourceCursor.upsert({
    where: { source_tenant: { source, tenant } },
    create: { source, tenant, cursor: "", lastSuccessAt: at },
    update: { lastSuccessAt: at },
  });
}
