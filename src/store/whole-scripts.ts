/**
 * Migration scripts run whole and awaited. The schema engine applies each migration through its
 * driver adapter's `executeScript`, and neither adapter does what `prisma migrate deploy` does
 * (send the script as one multi-statement query: all of it, or on an error none of it):
 *  - pglite-prisma-adapter 0.7.2 (the latest) starts `client.exec` without waiting for it. A
 *    failing migration was recorded as applied, `migrateDatabase` reported success, and the
 *    database's error surfaced later as an unhandled rejection;
 *  - @prisma/adapter-pg splits the script at every ";" and runs the pieces one by one, so a
 *    failure half-way left the first half applied (and a ";" inside a string split it).
 * Here `executeScript` sends the script as one query through `run` and hands a failure to the
 * engine as the database's error: the engine records the migration as failed, and
 * `migrateDatabase` throws with the database's message.
 */
import { DriverAdapterError, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/** A PostgreSQL error (PGlite's or node-postgres's: SQLSTATE code, message, detail, hint) as the engine reports one. */
function asDriverError(error: unknown): unknown {
  if (!(error instanceof Error) || typeof (error as { code?: unknown }).code !== "string") return error;
  const e = error as Error & { code: string; severity?: string; detail?: string; column?: string; hint?: string };
  return new DriverAdapterError({ kind: "postgres", code: e.code, severity: e.severity ?? "ERROR", message: e.message, detail: e.detail, column: e.column, hint: e.hint });
}

/** `factory` whose adapters run a script with `run(script)` (one multi-statement query, awaited). */
export function withWholeScripts(factory: SqlMigrationAwareDriverAdapterFactory, run: (script: string) => Promise<unknown>): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      adapter.executeScript = async (script: string): Promise<void> => {
        try {
          await run(script);
        } catch (error) {
          throw asDriverError(error);
        }
      };
      return adapter;
    },
    // Shadow databases are not used by kansa (applyMigrations and diff from the datasource need none).
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}
