/** `kansa import PATH...`: load exported files, in the formats the registered sources read (src/sources/registry.ts). */
import type { Command } from "commander";
import { createContext, printJson, withDatabase } from "./context.ts";
import { fileFormats } from "../sources/registry.ts";
import { importFiles, type FileImportResult, type ImportResult } from "../schedule/import-files.ts";
import { finishRun, startRun } from "../store/runs.ts";
import { importConfig } from "../sources/organisations.ts";
import { claimTenants } from "../store/organisation-tenants.ts";
import type { SourceTenant } from "../store/event-queries.ts";

function counts(c: { read: number; stored: number; duplicates: number; rejected: number }): string {
  return `read ${c.read}, stored ${c.stored}, duplicates ${c.duplicates}, rejected ${c.rejected}`;
}

/** One file's summary lines, its rejections listed one per line. */
export function formatFileResult(f: FileImportResult): string {
  if (f.error && f.read === 0) return `${f.file}: not imported: ${f.error}`;
  // A file that failed part way (a truncated .gz) keeps what was stored before the failure.
  const lines = [f.error ? `${f.file}: partially imported: ${counts(f)}; then: ${f.error}` : `${f.file} (${f.format ?? "?"}): ${counts(f)}`];
  for (const r of f.rejections) lines.push(`  rejected ${r.locator}: ${r.reason}`);
  if (f.rejected > f.rejections.length) lines.push(`  ... and ${f.rejected - f.rejections.length} more rejections`);
  return lines.join("\n");
}

/** The closing summary line. */
export function formatTotal(result: ImportResult): string {
  const t = result.total;
  const unreadable = t.unreadable > 0 ? `, ${t.unreadable} not readable` : "";
  const nothingNew = t.read > 0 && t.stored === 0 && t.rejected < t.read ? " (nothing new: every record was already stored)" : "";
  const allRejected = rejectedEverything(result) ? ` (nothing imported: every one of the ${t.read} record(s) was rejected)` : "";
  return `Total: ${t.files} file${t.files === 1 ? "" : "s"}${unreadable}; ${counts(t)}${nothingNew}${allRejected}`;
}

/** Records were read and every one of them was rejected: the import stored nothing and failed. */
function rejectedEverything(result: ImportResult): boolean {
  return result.total.read > 0 && result.total.rejected >= result.total.read;
}

export function registerImport(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("import")
    .description(
      `Import exported audit logs from files and folders (recursively): ${fileFormats().map((f) => f.description).join("; ")}. ` +
        "Storing is idempotent: importing the same files again stores nothing new. Exits non-zero when nothing could be read, or when every record read was rejected.",
    )
    .argument("<paths...>", "files or folders to import")
    .option("--tenant <name>", `tenant to store the events under (default: ${fileFormats().map((f) => f.tenantHelp).join("; ")}); import each tenant's files with its own --tenant to keep tenants apart`)
    .option("--org <name>", "the organisation of KANSA_CONFIG the files belong to (required when it describes several); its tenants are named after its source instances")
    .option("--json", "print the summary as JSON")
    .action((paths: string[], options: { tenant?: string; json?: boolean; org?: string }) =>
      run(async () => {
        const context = createContext();
        const organisation = context.organisation(options.org);
        const config = organisation.configured ? importConfig(organisation) : context.config;
        const tenant = options.tenant?.trim() || undefined;
        const result = await withDatabase(context, async (db) => {
          const runId = await startRun(db, "import", null, { org: organisation.name });
          try {
            const imported = await importFiles(db, paths, {
              config,
              tenant,
              ...(organisation.configured ? { claim: (pair: SourceTenant) => claimTenants(db, organisation.name, [pair]) } : {}),
              // The summary lists every rejection; logging them too would print each twice.
              log: context.log.child({ command: "import" }, { level: "error" }),
              onFile: options.json ? undefined : (f) => process.stdout.write(`${formatFileResult(f)}\n`),
            });
            const t = imported.total;
            const status = t.read === 0 || rejectedEverything(imported) ? "failed" : t.rejected > 0 || t.unreadable > 0 ? "partial" : "ok";
            await finishRun(db, runId, status, { ...t, paths }, imported.files.filter((f) => f.error).map((f) => `${f.file}: ${f.error}`));
            return { runId, imported, database: db.describe };
          } catch (error) {
            await finishRun(db, runId, "failed", { paths }, [(error as Error).message]).catch(() => undefined);
            throw error;
          }
        });
        const { imported } = result;
        if (options.json) printJson({ database: result.database, runId: result.runId, ...imported });
        else process.stdout.write(`${formatTotal(imported)}\n`);
        return imported.total.read === 0 || rejectedEverything(imported) ? 1 : 0;
      }),
    );
}
