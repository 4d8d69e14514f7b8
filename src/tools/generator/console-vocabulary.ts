/**
 * The console's vocabulary: columns, levels, services, modules and actions, in the console's
 * Japanese and English UI.
 */

/** The CSV columns, by their English names, in the console's order. */
export const CONSOLE_COLUMNS = ["Date", "Level", "Service", "User", "IP Address", "User Agent", "Module", "Action", "Result", "Error Code", "Complement"] as const;
export type ConsoleColumn = (typeof CONSOLE_COLUMNS)[number];
/** One console row's cells keyed by English column name. */
export type ConsoleCells = Record<ConsoleColumn, string>;

/** The Japanese UI's header for each column. */
export const CONSOLE_HEADER_JA: Record<ConsoleColumn, string> = {
  Date: "日時",
  Level: "レベル",
  Service: "サービス",
  User: "ユーザー",
  "IP Address": "IPアドレス",
  "User Agent": "ユーザーエージェント",
  Module: "モジュール",
  Action: "アクション",
  Result: "結果",
  "Error Code": "エラーコード",
  Complement: "補足",
};

export type ConsoleLang = "ja" | "en";

const LEVEL_EN: Record<string, string> = { 重要: "Notice", 情報: "Information" };
const LEVEL_JA: Record<string, string> = { Notice: "重要", Information: "情報" };
const SERVICE_EN: Record<string, string> = { 共通: "Common" };
const SERVICE_JA: Record<string, string> = { Common: "共通" };

/**
 * The cells as the console shows them in `lang`: only Level and Service differ between the
 * Japanese and English UI (modules and actions are English in both). Returns the same object
 * when nothing changes.
 */
export function localizeConsoleCells(cells: ConsoleCells, lang: ConsoleLang): ConsoleCells {
  const levels = lang === "en" ? LEVEL_EN : LEVEL_JA;
  const services = lang === "en" ? SERVICE_EN : SERVICE_JA;
  const level = levels[cells.Level];
  const service = services[cells.Service];
  if (level === undefined && service === undefined) return cells;
  return { ...cells, Level: level ?? cells.Level, Service: service ?? cells.Service };
}

/** How an action's complement is written. */
export type ComplementKind = "none" | "record" | "file" | "export" | "import" | "app" | "user" | "setting";

export interface ActionSpec {
  module: string;
  action: string;
  service: "共通" | "kintone";
  level: "重要" | "情報";
  complement: ComplementKind;
}

function spec(module: string, action: string, service: "共通" | "kintone", level: "重要" | "情報", complement: ComplementKind): ActionSpec {
  return { module, action, service, level, complement };
}

export const LOGIN = spec("Authentication", "login", "共通", "情報", "none");
export const LOGOUT = spec("Authentication", "logout", "共通", "情報", "none");
export const RECORD_VIEW = spec("App operation", "Record view", "kintone", "情報", "record");
export const RECORD_ADD = spec("App operation", "Record add", "kintone", "情報", "record");
export const RECORD_EDIT = spec("App operation", "Record edit", "kintone", "情報", "record");
export const COMMENT_ADD = spec("App operation", "Comment add", "kintone", "情報", "record");
export const RECORD_DELETE = spec("App operation", "Record delete", "kintone", "重要", "record");
export const RECORD_FILE_DOWNLOAD = spec("App operation", "Record file download", "kintone", "情報", "file");
export const RECORD_EXPORT = spec("App operation", "Record export", "kintone", "重要", "export");
export const RECORD_IMPORT = spec("App operation", "Record import", "kintone", "情報", "import");
export const APP_SETTINGS = spec("App management", "App settings change", "kintone", "重要", "app");
export const APP_DEPLOY = spec("App management", "App deploy", "kintone", "重要", "app");
export const EXPORT_USER = spec("User Administration", "export user", "共通", "重要", "export");
export const ADD_USER = spec("User Administration", "add user", "共通", "重要", "user");
export const EDIT_USER = spec("User Administration", "edit user", "共通", "重要", "user");
export const DELETE_USER = spec("User Administration", "delete user", "共通", "重要", "user");
export const CONFIGURE_SECURITY = spec("System administration", "configure security setting", "共通", "重要", "setting");
export const CONFIGURE_LOGIN = spec("System administration", "configure login setting", "共通", "重要", "setting");
export const API_RECORD_ADD = spec("API operation", "Record add", "kintone", "情報", "record");
export const API_RECORD_EDIT = spec("API operation", "Record edit", "kintone", "情報", "record");
export const API_RECORD_VIEW = spec("API operation", "Record view", "kintone", "情報", "record");
export const SCHEDULED_JOB = spec("System administration", "run scheduled job", "共通", "情報", "setting");

/** Actions nobody does in the generated data (for "never done by anyone" anomalies). */
export const NEVER_DONE: readonly ActionSpec[] = [
  spec("App operation", "Record bulk delete", "kintone", "重要", "app"),
  spec("App management", "App delete", "kintone", "重要", "app"),
  spec("System administration", "change administrator", "共通", "重要", "setting"),
  spec("System administration", "disable audit log", "共通", "重要", "setting"),
  spec("User Administration", "export organization", "共通", "重要", "export"),
];

export const SECURITY_SETTINGS: readonly string[] = ["パスワードポリシー", "セキュアアクセス", "IPアドレス制限", "二要素認証", "セッションの有効期限"];
