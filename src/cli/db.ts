import type { Command } from "commander";
import { createContext, printJson, withDatabase } from "./context.ts";

/** `kansa db migrate`: apply prisma/migrations offline (PGlite or PostgreSQL). */
export function registerDb(program: Command, run: (work: () => Promise<number>) => void): void {
  const db = program.command("db").description("Database maintenance.");
  db.command("migrate")
    .description("Apply pending migrations (offline, through the WebAssembly schema engine) to the configured database.")
    .option("--json", "print what was applied as JSON")
    .action((options: { json?: boolean }) =>
      run(async () => {
        const context = createContext();
        // withDatabase migrates (every command does) and says what this call applied.
        await withDatabase(context, async (database, applied) => {
          const rows = await database.query<{ migration_name: string }>(
            `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
          );
          const names = rows.map((r) => r.migration_name);
          if (options.json) printJson({ database: database.describe, applied, migrations: names });
          else if (applied.length > 0) console.log(`${database.describe}: applied ${applied.length} migration(s): ${applied.join(", ")}.`);
          else console.log(`${database.describe}: up to date (${names.length} migrations).`);
        });
        return 0;
      }),
    );
}
