/** `kansa status`: what is stored per source and tenant, cursors and their age, the last runs. */
import type { Command } from "commander";
import { createContext, withDatabase } from "./context.ts";
import { displayText, terminalSafeJson } from "../core/display-text.ts";
import { readStoreStatus, type StoreStatus } from "../store/status.ts";
import { organisationScope } from "../schedule/daily-job.ts";

function iso(d: Date | null): string {
  return d ? d.toISOString().replace(/\.\d{3}Z$/, "Z") : "-";
}

/**
 * The status as text, one block per source and tenant. Every stored string (tenant names come
 * from the logs) goes through `displayText`: no escape sequence, CR or LF reaches the terminal.
 */
export function formatStatus(status: StoreStatus): string {
  const show = (value: string | null | undefined) => displayText(value);
  const lines = [`Database: ${show(status.database)}`, `Events stored: ${status.totalEvents}`];
  if (status.sources.length === 0) lines.push("", "No events stored yet (try `kansa import PATH` or `npm run demo`).");
  for (const s of status.sources) {
    lines.push(
      "",
      `${show(s.source)} / ${show(s.tenant)}${s.organisation !== undefined ? ` (organisation ${show(s.organisation)})` : ""}`,
      `  events:        ${s.events}`,
      `  first event:   ${iso(s.firstEventAt)}`,
      `  last event:    ${iso(s.lastEventAt)}`,
      `  last stored:   ${iso(s.lastIngestedAt)}`,
      `  cursor:        ${s.cursor === null ? "-" : show(s.cursor)}${s.cursorAgeHours !== null ? ` (last successful pull ${s.cursorAgeHours} h ago)` : ""}`,
      `  last success:  ${iso(s.lastSuccessAt)}`,
    );
  }
  if (status.lastRuns.length > 0) {
    lines.push("", "Last runs:");
    for (const r of status.lastRuns) {
      lines.push(`  ${show(r.kind).padEnd(10)} ${show(r.status).padEnd(8)} started ${iso(r.startedAt)}${r.finishedAt ? `, finished ${iso(r.finishedAt)}` : ""}${r.day ? ` (day ${show(r.day)})` : ""}`);
    }
  }
  return lines.join("\n");
}

export function registerStatus(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("status")
    .description("Show what is stored: per source and tenant the events, first and last event time, cursor and its age; the last runs; the database in use.")
    .option("--json", "print the status as JSON")
    .option("--org <name>", "only this organisation of KANSA_CONFIG: its tenants and runs")
    .action((options: { json?: boolean; org?: string }) =>
      run(async () => {
        const context = createContext();
        const organisation = options.org !== undefined ? context.organisation(options.org) : undefined;
        const status = await withDatabase(context, async (db) => {
          const scope = organisation ? await organisationScope(db, organisation) : undefined;
          return readStoreStatus(db, undefined, scope);
        });
        if (options.json) process.stdout.write(`${terminalSafeJson(JSON.stringify(status, null, 2))}\n`);
        else process.stdout.write(`${formatStatus(status)}\n`);
        return 0;
      }),
    );
}
