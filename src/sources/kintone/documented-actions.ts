/**
 * The console's documented actions (data): every module and action the cybozu.com and kintone
 * help pages list for the audit log, with its level, whether it is a login, whether it is an
 * export (a download of data), and the severity catalogue entry (severity.ts) it belongs to where
 * the catalogue's words would misjudge it. Classification (classification.ts) and severity read it.
 *
 * Sources (each entry names its page by key; the pages as read in December 2026):
 * - cybozu.com common administration, "Viewing Audit Logs" (items, levels, the `%s` version in
 *   API actions): https://jp.cybozu.help/general/en/admin/list_systemadmin/list_audit/audit.html
 * - `login`: "Login and Password Reset" (02095),
 *   https://jp.cybozu.help/general/en/admin/list_systemadmin/list_audit/log/login.html and
 *   https://get.kintone.help/general/en/admin/list_systemadmin/list_audit/log/login.html (the
 *   failed login's complement holds the login name tried); `login (session-less)` and the
 *   "lockout" complement from the Markdown source of Cybozu Office's help page on the same
 *   cybozu.com Authentication logs (ログインとログアウトに関するログ, a CybozuDocs repository).
 * - `general`: "Application settings" / システム管理 (02092),
 *   https://jp.cybozu.help/general/en/admin/list_systemadmin/list_audit/log/general.html
 * - `access`: "Configuring Access Control",
 *   https://get.kintone.help/general/en/admin/list_systemadmin/list_audit/log/access_control.html
 * - `users`: "Users" (020102), https://jp.cybozu.help/general/en/admin/list_systemadmin/list_audit/log/user.html
 *   and https://get.kintone.help/general/en/admin/list_systemadmin/list_audit/log/user.html
 * - `departments`: "Departments" (02097),
 *   https://jp.cybozu.help/general/en/admin/list_systemadmin/list_audit/log/organization.html
 * - `groups`: "Groups", https://get.kintone.help/general/en/admin/list_systemadmin/list_audit/log/group.html
 * - `services`: "Available services" (02099),
 *   https://jp.kintone.help/general/en/admin/list_systemadmin/list_audit/log/service
 * - `common-logs`: the same help source's table of the common cybozu.com logs ({{%service%}}全般のログ:
 *   update user password, change password, assign user management admin, configure security
 *   settings, download audit log archive, …).
 * - `kintone-records`: kintone "App Records" (040811),
 *   https://get.kintone.help/k/en/admin/audit_logs/log/app_operation.html
 * - `kintone-apps`: kintone "App Settings" (040812),
 *   https://get.kintone.help/k/en/admin/audit_logs/log/app_management.html and the list
 *   https://get.kintone.help/k/en/admin/other/audit_logs.html (`App create from template file`:
 *   `file name = …, template name: …`; `App delete`: `app ids: [[…]], app names: [[…]]`)
 * - `kintone-api`: kintone "Actions Performed via API",
 *   https://get.kintone.help/k/en/admin/audit_logs/log/api_operation.html (`App deploy`:
 *   `app id: [*], revert: {true/false}`)
 * - `kintone-admin`: kintone "Kintone Administration" (040818),
 *   https://get.kintone.help/k/en/admin/audit_logs/log/system_administration.html
 * - `kansa`: not in the help pages: the Japanese spellings kansa has always accepted for a login
 *   (a hand-translated export); the help pages show modules and actions in English in both UIs.
 *
 * Downloads: the pages name every download with the word "download" (`download audit log
 * archive`, `Record file download`, the client-certificate download), so an action with that
 * word is an export even where this table lacks it (isDocumentedDownload).
 */

/** A catalogue entry key of severity.ts (the entry whose severity and label the action takes). */
export type ConsoleSeverityKey = "security" | "administrators" | "permissions" | "users" | "bulk-delete" | "file-download" | "export" | "notice";

export type DocumentedLevel = "Notice" | "Information" | "Notice or Information";

/** Which page documents an entry (see the module comment for the addresses). */
export type DocumentedPage =
  | "login" | "general" | "access" | "users" | "departments" | "groups" | "services" | "common-logs"
  | "kintone-records" | "kintone-apps" | "kintone-api" | "kintone-admin" | "kansa";

export interface DocumentedAction {
  /** The module as logged. */
  module: string;
  /** The action as logged; `%s` stands for an API version (`login API(%s)` is logged `login API(v1)`). */
  action: string;
  level: DocumentedLevel;
  /** A login attempt (successful or failed, by its result). */
  login?: true;
  /** A download or export of data. */
  export?: true;
  /** The severity catalogue entry it belongs to, where set. */
  severity?: ConsoleSeverityKey;
  page: DocumentedPage;
}

function row(page: DocumentedPage, module: string, level: DocumentedLevel, action: string, flags: Pick<DocumentedAction, "login" | "export" | "severity"> = {}): DocumentedAction {
  return { module, action, level, page, ...flags };
}

const LOGIN = { login: true } as const;
const EXPORT = { export: true, severity: "export" } as const;
const SECURITY = { severity: "security" } as const;
const ADMINS = { severity: "administrators" } as const;
const USERS = { severity: "users" } as const;

/** The documented actions, by page. */
export const DOCUMENTED_ACTIONS: readonly DocumentedAction[] = [
  // Login and password reset.
  row("login", "Authentication", "Information", "login", LOGIN),
  row("login", "Authentication", "Information", "login API(%s)", LOGIN),
  row("login", "Authentication", "Information", "login (SAML)", LOGIN),
  row("login", "Authentication", "Information", "login (session-less)", LOGIN),
  row("login", "Authentication", "Information", "logout"),
  row("login", "Authentication", "Notice", "reset password"),
  row("login", "Authentication", "Notice", "send password reset mail"),
  row("kansa", "認証", "Information", "ログイン", LOGIN),
  row("kansa", "Authentication", "Information", "ログイン", LOGIN),
  row("kansa", "認証", "Information", "login", LOGIN),
  // System administration.
  row("general", "System Administration", "Notice", "configure audit log setting", SECURITY),
  row("general", "System Administration", "Notice", "configure external service security settings", SECURITY),
  row("general", "System Administration", "Notice", "configure security setting", SECURITY),
  row("common-logs", "System Administration", "Notice", "configure security settings", SECURITY),
  row("general", "System Administration", "Notice", "download audit log archive", EXPORT),
  row("general", "System Administration", "Information", "configure system mail account"),
  row("general", "System Administration", "Information", "update logo"),
  row("access", "System Administration", "Notice", "change subdomain", SECURITY),
  row("access", "System Administration", "Notice", "configure ip address restrictions", SECURITY),
  // Users.
  row("users", "Authentication", "Notice", "add provisional Administrator", ADMINS),
  row("users", "User Administration", "Notice", "assign administrators", ADMINS),
  row("common-logs", "User Administration", "Notice", "assign user management admin", ADMINS),
  row("users", "User Administration", "Notice", "add users (API %s)", USERS),
  row("users", "User Administration", "Notice", "delete users (API %s)", USERS),
  row("users", "User Administration", "Notice", "update users (API %s)", USERS),
  row("users", "User Administration", "Notice", "export user", EXPORT),
  row("users", "User Administration", "Notice", "export user (API %s)", EXPORT),
  row("users", "User Administration", "Notice", "export user group", EXPORT),
  row("users", "User Administration", "Notice", "export user group (API %s/csv)", EXPORT),
  row("users", "User Administration", "Notice", "export user organization", EXPORT),
  row("users", "User Administration", "Notice", "export user organization (API %s)", EXPORT),
  row("users", "User Administration", "Notice", "import user organization (API %s/csv)", USERS),
  row("users", "User Administration", "Notice", "import user organization (API %s/json)", USERS),
  row("users", "User Administration", "Notice", "update user group (API %s/json)", USERS),
  row("users", "User Administration", "Notice", "send user account mail", USERS),
  row("users", "User Information", "Notice", "get user (API %s)"),
  row("users", "User Information", "Notice", "get user groups (API %s/json)"),
  row("users", "User Information", "Notice", "get user organizations (API %s)"),
  row("common-logs", "User Administration", "Information", "update user password"),
  row("common-logs", "User Profile", "Information", "change password"),
  // Departments.
  row("departments", "System Administration", "Notice", "configure organization access control settings", { severity: "permissions" }),
  row("departments", "User Information", "Notice", "get organization (API %s)"),
  row("departments", "User Information", "Notice", "get organization users (API %s)"),
  row("departments", "User Administration", "Notice", "add organizations (API %s)", USERS),
  row("departments", "User Administration", "Notice", "delete organizations (API %s)", USERS),
  row("departments", "User Administration", "Notice", "update organizations (API %s)", USERS),
  row("departments", "User Administration", "Notice", "update user organization", USERS),
  // Groups.
  row("groups", "User Administration", "Notice", "add groups (API %s/json)", USERS),
  row("groups", "User Administration", "Notice", "delete groups (API %s/json)", USERS),
  row("groups", "User Administration", "Notice", "update group condition", USERS),
  row("groups", "User Administration", "Notice", "update groups (API %s/json)", USERS),
  row("groups", "User Administration", "Notice", "update group users (API %s/json)", USERS),
  row("groups", "User Information", "Notice", "get group (API %s/json)"),
  row("groups", "User Information", "Notice", "get group users (API %s/json)"),
  row("groups", "User Administration", "Information", "add group"),
  row("groups", "User Administration", "Information", "delete group"),
  row("groups", "User Administration", "Information", "export group", EXPORT),
  row("groups", "User Administration", "Information", "export group (API %s/csv)", EXPORT),
  row("groups", "User Administration", "Information", "import group"),
  row("groups", "User Administration", "Information", "import group (API %s/csv)"),
  // Available services.
  row("services", "User Administration", "Information", "export user service", EXPORT),
  row("services", "User Administration", "Information", "export user service (API %s/csv)", EXPORT),
  row("services", "User Administration", "Information", "export user service (API %s/json)", EXPORT),
  row("services", "User Administration", "Information", "import user service"),
  row("services", "User Administration", "Information", "import user service (API %s/csv)"),
  row("services", "User Administration", "Information", "import user service (API %s/json)"),
  row("services", "User Administration", "Information", "update service user"),
  // kintone: app records.
  row("kintone-records", "App operation", "Information", "Record file upload"),
  row("kintone-records", "App operation", "Information", "Record file download", { export: true, severity: "file-download" }),
  row("kintone-records", "App operation", "Information", "Record comment delete"),
  row("kintone-records", "App operation", "Information", "Record delete"),
  row("kintone-records", "App operation", "Notice or Information", "Record bulk delete", { severity: "bulk-delete" }),
  row("kintone-records", "App operation", "Notice or Information", "Record export", EXPORT),
  // kintone: app settings.
  row("kintone-apps", "App management", "Notice or Information", "App update"),
  row("kintone-apps", "App management", "Information", "App create"),
  row("kintone-apps", "App management", "Information", "App create from template file"),
  row("kintone-apps", "App management", "Information", "App delete"),
  row("kintone-apps", "App management", "Information", "App restore"),
  // kintone: actions performed via API.
  row("kintone-api", "API operation", "Information", "App create"),
  row("kintone-api", "API operation", "Information", "App deploy"),
  row("kintone-api", "API operation", "Information", "App update"),
  // kintone: kintone administration.
  row("kintone-admin", "System administration", "Notice", "Admit creation space", { severity: "permissions" }),
  row("kintone-admin", "System administration", "Notice", "Guest user two-step verification", SECURITY),
  row("kintone-admin", "System administration", "Notice", "New feature update"),
];

/** Lower case, one space, none before "(": `export user(API v1)` and `Export User (API v1)` compare equal. */
function key(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, " ").replace(/ \(/g, "(");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

interface Compiled {
  entry: DocumentedAction;
  module: string;
  /** The action's key, or a pattern when it holds `%s`. */
  action: string | RegExp;
}

const COMPILED: readonly Compiled[] = DOCUMENTED_ACTIONS.map((entry) => {
  const action = key(entry.action);
  return {
    entry,
    module: key(entry.module),
    // `%s` is a version such as `v1` or `v1/csv`: a bounded run without parentheses.
    action: action.includes("%s") ? new RegExp(`^${action.split("%s").map(escapeRegExp).join("[^()]{0,40}")}$`, "u") : action,
  };
});

/**
 * The documented entry of an action as logged, or null. An action documented under several
 * modules (`App update`) takes the entry of the event's module, else the first one listed.
 */
export function documentedAction(module: string, action: string): DocumentedAction | null {
  const actionKey = key(action);
  const moduleKey = key(module);
  let first: DocumentedAction | null = null;
  for (const { entry, module: m, action: a } of COMPILED) {
    if (typeof a === "string" ? a !== actionKey : !a.test(actionKey)) continue;
    if (m === moduleKey) return entry;
    first ??= entry;
  }
  return first;
}

/** A login action of the table, logged under its own module (`login` in `Authentication`, `login API(v1)`, …). */
export function isDocumentedLogin(module: string, action: string): boolean {
  const entry = documentedAction(module, action);
  return entry?.login === true && key(entry.module) === key(module);
}

const DOWNLOAD_WORD = /\bdownload\b|ダウンロード/iu;

/** A documented export, or an action named a download (see the module comment). */
export function isDocumentedDownload(module: string, action: string): boolean {
  return documentedAction(module, action)?.export === true || DOWNLOAD_WORD.test(action);
}
