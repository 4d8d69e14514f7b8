/**
 * Console CSV row → AuditEvent (DESIGN.md, "Normalize"). Pure: no I/O, never throws on odd
 * cells; a row with no readable time is returned as a rejection.
 */
import { hash } from "node:crypto";
import type { NormalizeResult } from "../../core/types.ts";
import type { ConsoleRow } from "./console-csv/read-console-csv.ts";
import { CONSOLE_COLUMNS, canonicalValue } from "./console-csv/columns.ts";
import { loginNameOf, parseComplement } from "./complement.ts";
import { parseIp } from "../../core/ip-address.ts";
import type { Config } from "../../core/config.ts";
import { parseTimeString } from "../../normalize/timestamps.ts";
import { classifyConsoleEvent } from "./classification.ts";

function cell(row: ConsoleRow, column: string): string {
  return row.cells[column] ?? "";
}

/**
 * The stable id of a console row: sha256 (hex) of its known cells in canonical column order
 * plus its ordinal among identical rows of the same second. Values the Japanese UI translates
 * (level, service, result) are hashed in English and a readable Date as its instant, so the same
 * entry gets the same id from a scraped download, a hand-made export, or either UI language.
 * Unknown columns are not part of the id.
 */
export function consoleRowId(row: ConsoleRow, occurredAt: Date | null): string {
  // Each part is length-prefixed, so no cell content can shift text into its neighbour.
  let text = "";
  for (const column of CONSOLE_COLUMNS) {
    let value = cell(row, column);
    if (column === "Date") value = occurredAt ? occurredAt.toISOString() : value;
    else if (column === "Level" || column === "Service" || column === "Result") value = canonicalValue(value);
    text += `${value.length}:${value};`;
  }
  text += String(row.ordinal);
  return hash("sha256", text, "hex");
}

/** The console's user for system actions and logins of unknown login names. */
const NOBODY = "nobody";

/** The event's account: the User cell, or the login name a failed login of `nobody` tried. */
function accountOf(user: string, complement: string, isFailedLogin: boolean): string {
  const unknown = user.trim() === "" || user.trim().toLowerCase() === NOBODY;
  return (isFailedLogin && unknown && loginNameOf(complement)) || user;
}

/**
 * Normalise one console row. `origin` (file or URL) and the row's line go into a rejection.
 * account = User, except for a failed login by `nobody` (or no one), whose complement holds the
 * login name tried: that name. action = Action, appId/appName from the Complement (the first
 * app of a list; the others stay in the raw complement), level and result as given (null when
 * empty), the flags from classification.ts (documented exports and downloads or
 * `options.exportActionPattern`, level 重要/Notice, documented logins by result).
 */
export function normalizeConsoleRow(row: ConsoleRow, tenant: string, origin: string, options: Config): NormalizeResult {
  const dateText = cell(row, "Date");
  const occurredAt = parseTimeString(dateText, options.consoleTimezone);
  if (!occurredAt) {
    return {
      ok: false,
      rejection: {
        origin,
        locator: `line ${row.line}`,
        reason: dateText.trim() === "" ? "the Date cell is empty" : `the Date cell ${JSON.stringify(dateText.slice(0, 60))} is not a date and time`,
      },
    };
  }
  const ip = cell(row, "IP Address");
  const action = cell(row, "Action");
  const level = cell(row, "Level");
  const result = cell(row, "Result");
  const complement = cell(row, "Complement");
  const { appId, appName } = parseComplement(complement);
  const stored = { action, level: level === "" ? null : level, result: result === "" ? null : result, raw: row.cells };
  const flags = classifyConsoleEvent(stored, options);
  return {
    ok: true,
    event: {
      source: "kintone",
      tenant,
      externalId: consoleRowId(row, occurredAt),
      occurredAt,
      account: accountOf(cell(row, "User"), complement, flags.isFailedLogin),
      action,
      ip,
      ipParsed: parseIp(ip),
      appId,
      appName,
      userAgent: cell(row, "User Agent"),
      level: stored.level,
      result: stored.result,
      ...flags,
      // The row's cells object is the record as read (English keys, unknown columns kept).
      raw: row.cells,
    },
  };
}
