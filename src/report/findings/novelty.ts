/**
 * Which of an outlier's reasons still tell something on the reported day (issue 23's noise).
 *
 * - New once: a first address, network, app or action of an account, or an account not seen in
 *   the baseline month, is new on the first day of this month it occurs. The days of the month
 *   before the reported day that already showed it make it known: the finding was in that day's
 *   mail, and repeating "first login from 126.33.198.42" every day until the month ends would
 *   bury what is new today.
 * - Usual for the organisation: an hour outside the account's own usual hours but inside the
 *   organisation's (a later afternoon than the account's usual) is told with other reasons, but
 *   alone it is no finding.
 * - Too little history: a fact about the comparison, not about the event.
 * - A first action that is a login of another kind, or session upkeep (a logout): the account
 *   already logs in; where and when tell.
 *
 * An outlier of a feature set that gives reasons (profile) is a finding only with a reason that
 * still tells (isTelling); the raw threshold of ANOMALY_LENGTH is used as set.
 */
import { networkLabel, networkOf } from "../../core/ip-address.ts";
import type { FindingReason } from "../../core/report-model.ts";

/** An event of this month before the reported day, as novelty needs it (a grouped row will do). */
export interface SeenRow {
  source: string;
  tenant: string;
  account: string;
  /** The address as profiles key it (ipParsed, else the text trimmed). */
  address: string;
  appId: string | null;
  action: string;
}

/** What the month so far showed, as keys (see keysOf). */
export type SeenSoFar = ReadonlySet<string>;

/** The reason codes that say something is new, and what each is new about. */
const NOVELTY: Record<string, (row: SeenRow) => string | null> = {
  "unknown-account": () => "",
  "new-address": (row) => (row.address === "" ? null : row.address),
  "new-network": (row) => (row.address === "" ? null : networkLabel(networkOf(row.address))),
  "new-app": (row) => row.appId ?? null,
  "new-action-account": (row) => row.action,
};

function key(row: Pick<SeenRow, "source" | "tenant" | "account">, code: string, value: string): string {
  return [row.source, row.tenant, row.account.trim().toLowerCase(), code, value].join("\u0000");
}

/** The novelty keys of one row: what it would be new about. Events without an account have none. */
export function keysOf(row: SeenRow): string[] {
  if (row.account.trim() === "") return [];
  const out: string[] = [];
  for (const [code, valueOf] of Object.entries(NOVELTY)) {
    const value = valueOf(row);
    if (value !== null) out.push(key(row, code, value));
  }
  return out;
}

/** The keys of the month so far. */
export function seenSoFar(rows: Iterable<SeenRow>): Set<string> {
  const seen = new Set<string>();
  for (const row of rows) for (const k of keysOf(row)) seen.add(k);
  return seen;
}

/** The event's reasons without the novelty an earlier day of the month already showed. */
export function freshReasons(event: SeenRow, reasons: readonly FindingReason[], seen: SeenSoFar): FindingReason[] {
  if (seen.size === 0 || event.account.trim() === "") return [...reasons];
  return reasons.filter((r) => {
    const valueOf = NOVELTY[r.code];
    const value = valueOf ? valueOf(event) : null;
    return value === null || !seen.has(key(event, r.code, value));
  });
}

/** What isTelling needs of the event: a login, or session upkeep (a logout, a silent re-authentication: see the source contract). */
export interface EventKind {
  isLogin: boolean;
  upkeep: boolean;
}

/** Whether a reason tells something on its own (see the module comment). */
export function isTelling(r: FindingReason, event: EventKind = { isLogin: false, upkeep: false }): boolean {
  if (r.code === "few-history" || r.code === "rarity") return false;
  if (r.code === "unusual-hour" && r.params.organisationUsual === true) return false;
  // A login of another kind (a cross-origin one) or the first logout is no new thing the account
  // did: where and when it logged in tells.
  if (r.code === "new-action-account" && (event.isLogin || event.upkeep)) return false;
  // A first sign-in to another application of the identity provider, or a logout from it: the
  // account signs in already; a first use of a console app (its records) still tells.
  if (r.code === "new-app" && (event.isLogin || event.upkeep)) return false;
  return true;
}
