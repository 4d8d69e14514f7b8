/**
 * The console's classification rules, from the documented actions (documented-actions.ts):
 * exports are the documented exports and downloads plus any action matching
 * EXPORT_ACTION_PATTERN; critical events are level 重要/Notice; logins and failed logins are the
 * documented login actions (`login`, `login API(…)`, `login (SAML)`, `login (session-less)`) by
 * their result. Read from the stored fields and the row as received, so the report applies the
 * current configuration to events already stored.
 */
import type { ClassifiableEvent, EventFlags } from "../../core/classification.ts";
import { textOf } from "../../normalize/json.ts";
import { canonicalValue } from "./console-csv/columns.ts";
import { isDocumentedDownload, isDocumentedLogin } from "./documented-actions.ts";

/** The settings the rules read. */
export interface ConsoleRules {
  /** Console actions matching this are data exports (besides the documented ones). */
  exportActionPattern: RegExp;
}

const CRITICAL_LEVELS = new Set(["重要", "notice"]);

/** The flags of a console event (`raw` is the row's cells, by English column name). */
export function classifyConsoleEvent(event: ClassifiableEvent, rules: ConsoleRules): EventFlags {
  const module = textOf(event.raw.Module) ?? "";
  const result = event.result ?? "";
  const isLoginAction = isDocumentedLogin(module, event.action);
  const succeeded = canonicalValue(result).trim().toUpperCase() === "SUCCESS";
  // A pattern with the g or y flag would carry state between events.
  rules.exportActionPattern.lastIndex = 0;
  return {
    isExport: rules.exportActionPattern.test(event.action) || isDocumentedDownload(module, event.action),
    isCritical: CRITICAL_LEVELS.has((event.level ?? "").trim().toLowerCase()),
    isLogin: isLoginAction && succeeded,
    isFailedLogin: isLoginAction && !succeeded && result.trim() !== "",
  };
}
