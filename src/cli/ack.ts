/**
 * `kansa ack FINDING_ID --reason "…"`: mark a finding expected. The finding is looked up in the
 * stored reports (the outbox keeps each day's report model) and, when none has it, in the report
 * of the day its id names, built now (so an id seen in `kansa report --json` can be acknowledged
 * too). The acknowledgement stores the finding's events: the report marks them expected, and
 * later baselines count them as ordinary.
 */
import { userInfo } from "node:os";
import type { Command } from "commander";
import { InputError } from "../core/errors.ts";
import { addDays, parseDay } from "../core/calendar.ts";
import { displayText } from "../core/display-text.ts";
import type { Finding } from "../core/report-model.ts";
import type { Database } from "../store/database.ts";
import { addAcknowledgement, findStoredFinding, type Acknowledgement, type StoredFinding } from "../store/acknowledgements.ts";
import { buildReport } from "../report/build-report.ts";
import { organisationScope } from "../schedule/daily-job.ts";
import { createContext, withDatabase } from "./context.ts";

/** The operating-system user running the command, or "cli" when it cannot be told. */
export function commandUser(): string {
  try {
    return userInfo().username || "cli";
  } catch {
    return "cli";
  }
}

/** The day a finding id starts with (`2026-11-10-…`), or null. */
function dayOfId(id: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})-/.exec(id);
  if (!m) return null;
  try {
    return parseDay(m[1]!);
  } catch {
    return null;
  }
}

export interface AckRequest {
  findingId: string;
  reason: string;
  /** Who acknowledges (default: the operating-system user). */
  by?: string;
}

/**
 * Store the acknowledgement of the finding `request.findingId` and return it with the line that
 * says so. `reportFindings(day)` gives the findings of a day's report when no stored report
 * has the id (the command builds the report). An unknown id or an empty reason is an InputError.
 */
export async function ackFinding(
  db: Database,
  request: AckRequest,
  reportFindings?: (day: string) => Promise<readonly Finding[]>,
): Promise<{ ack: Acknowledgement; line: string }> {
  const id = request.findingId.trim();
  const reason = request.reason.trim();
  if (reason === "") throw new InputError(`kansa ack needs a reason: --reason "why ${displayText(id, 80)} is expected".`);
  let finding: StoredFinding | null = id === "" ? null : await findStoredFinding(db, id);
  const day = dayOfId(id);
  if (finding === null && day !== null && reportFindings) {
    const built = (await reportFindings(day)).find((f) => f.id === id);
    if (built) finding = { id, day, events: built.events.map((e) => ({ source: e.source, tenant: e.tenant, externalId: e.externalId })) };
  }
  if (finding === null) {
    throw new InputError(
      `No report has a finding with the id "${displayText(id, 80)}". The ids are in the \`findings\` of \`kansa report --json --today YYYY-MM-DD\` (the day after the reported one), and in the stored reports.`,
      { details: { findingId: id } },
    );
  }
  const ack = await addAcknowledgement(db, { findingId: id, day: finding.day, reason, by: request.by ?? commandUser(), events: finding.events });
  const line = `Acknowledged ${displayText(id)} (${finding.day}, ${finding.events.length} event${finding.events.length === 1 ? "" : "s"}) as expected: ${displayText(reason, 200)}. Its events count as ordinary in the next baselines.`;
  return { ack, line };
}

/** `kansa ack`: mark a finding expected, with a reason. */
export function registerAck(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("ack")
    .description("Mark a finding expected (counted, no longer listed) and let its events count as ordinary in the next baselines. Ids: the `findings` of `kansa report --json`.")
    .argument("<finding-id>", "the finding's id, such as 2026-11-10-3f9a0c1b2d")
    .requiredOption("--reason <text>", "why it is expected (stored and shown in the mail's footer)")
    .option("--org <name>", "the organisation of KANSA_CONFIG whose finding it is (for a finding of a report not stored)")
    .action((findingId: string, options: { reason: string; org?: string }) =>
      run(async () => {
        const context = createContext();
        const { line } = await withDatabase(context, (db) =>
          ackFinding(db, { findingId, reason: options.reason }, async (day) => {
            const organisation = context.organisation(options.org);
            const scope = await organisationScope(db, organisation);
            return (await buildReport(db, organisation.config, addDays(day, 1), scope ? { organisation: scope } : {})).findings ?? [];
          }),
        );
        process.stdout.write(`${line}\n`);
        return 0;
      }),
    );
}
