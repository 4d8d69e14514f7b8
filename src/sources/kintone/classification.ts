/**
 * The console's classification rules: exports (an action matching EXPORT_ACTION_PATTERN),
 * critical events (level 重要/Notice), logins and failed logins (the Authentication module's
 * login action, by its result). Read from the stored fields and the row as received, so the
 * report applies the current configuration to events already stored.
 */
import type { ClassifiableEvent, EventFlags } from "../../core/classification.ts";
import { textOf } from "../../normalize/json.ts";
import { canonicalValue } from "./console-csv/columns.ts";

/** The settings the rules read. */
export interface ConsoleRules {
  /** Console actions matching this are data exports. */
  exportActionPattern: RegExp;
}

const LOGIN_MODULES = new Set(["authentication", "認証"]);
const LOGIN_ACTIONS = new Set(["login", "ログイン"]);
const CRITICAL_LEVELS = new Set(["重要", "notice"]);

/** The flags of a console event (`raw` is the row's cells, by English column name). */
export function classifyConsoleEvent(event: ClassifiableEvent, rules: ConsoleRules): EventFlags {
  const module = (textOf(event.raw.Module) ?? "").trim().toLowerCase();
  const result = event.result ?? "";
  const isLoginAction = LOGIN_MODULES.has(module) && LOGIN_ACTIONS.has(event.action.trim().toLowerCase());
  const succeeded = canonicalValue(result).trim().toUpperCase() === "SUCCESS";
  // A pattern with the g or y flag would carry state between events.
  rules.exportActionPattern.lastIndex = 0;
  return {
    isExport: rules.exportActionPattern.test(event.action),
    isCritical: CRITICAL_LEVELS.has((event.level ?? "").trim().toLowerCase()),
    isLogin: isLoginAction && succeeded,
    isFailedLogin: isLoginAction && !succeeded && result.trim() !== "",
  };
}
