/**
 * The console's severity catalogue (data): an event's entry from its module and action (the
 * console's words, English or Japanese, matched case-insensitively as parts of either), its level
 * (重要/Notice) and whether it is an export. The first entry an event matches is its entry; an
 * event none matches (an ordinary record view, a login) has none. A documented action with a
 * catalogue key in documented-actions.ts (`download audit log archive` → export, `assign
 * administrators` → administrators) takes that entry, at the level and export flag the entry asks
 * for, instead of the words' guess (or none, when an override removes it); entries an override
 * adds still come first. CONSOLE_SEVERITY overrides it:
 * `<entry key>=<severity>` changes an entry (`=none` removes it), any other key adds an entry for
 * the events whose module or action contains it (`ユーザー=high`), before the defaults.
 */
import type { ClassifiableEvent } from "../../core/classification.ts";
import type { Config } from "../../core/config.ts";
import type { Severity } from "../../core/report-model.ts";
import type { SeverityEntry, Words } from "../contract.ts";
import { textOf } from "../../normalize/json.ts";
import { applySeverityOverrides, perOverrides, type CatalogueEntry, type SeverityOverrides } from "../severity-overrides.ts";
import { classifyConsoleEvent } from "./classification.ts";
import { documentedAction } from "./documented-actions.ts";

/**
 * What an entry matches: events whose module or action contains one of `words` (none: any),
 * at level 重要/Notice when `notice`, exports (EXPORT_ACTION_PATTERN) when `export`.
 */
export interface ConsoleMatch {
  words: readonly string[];
  notice?: boolean;
  export?: boolean;
}

type ConsoleEntry = CatalogueEntry<ConsoleMatch>;

function entry(key: string, severity: Severity, en: string, ja: string, match: ConsoleMatch): ConsoleEntry {
  return { key, severity, label: { en, ja }, match };
}

/** The default catalogue, most serious first. */
export const CONSOLE_SEVERITY_CATALOGUE: readonly ConsoleEntry[] = [
  entry("security", "high", "Security, login or audit settings changed", "セキュリティ・ログイン・監査の設定の変更", {
    notice: true,
    words: [
      "security", "セキュリティ", "ip address", "ipアドレス", "saml", "single sign-on", "シングルサインオン",
      "login setting", "ログイン設定", "authentication setting", "認証設定", "password policy", "パスワードポリシー",
      "two-factor", "2-factor", "2-step", "二要素", "2要素", "secure access", "セキュアアクセス", "client certificate", "クライアント証明書",
      "session", "セッション", "audit log", "監査ログ",
    ],
  }),
  entry("administrators", "high", "Administrators changed", "管理者の変更", { notice: true, words: ["administrator", "管理者"] }),
  entry("permissions", "high", "Access rights changed", "アクセス権の変更", { notice: true, words: ["permission", "access right", "access control", "権限", "アクセス権"] }),
  entry("users", "high", "Users, organizations or groups administered", "ユーザー・組織・グループの管理", {
    notice: true,
    words: ["user", "ユーザー", "organization", "組織", "group", "グループ", "role", "ロール", "役職"],
  }),
  entry("bulk-delete", "medium", "Records deleted in bulk", "レコードの一括削除", { words: ["bulk delete", "一括削除"] }),
  // A record's attachment opened from a record: everyday work one at a time; many at once are
  // raised by volume (findings: 10 exports in one episode), a burst or what is new.
  entry("file-download", "low", "Record attachment downloaded", "添付ファイルのダウンロード", { export: true, words: ["file download", "ファイルのダウンロード"] }),
  entry("export", "medium", "Data exported", "データの書き出し", { export: true, words: [] }),
  entry("notice", "medium", "Other important (Notice) event", "その他の重要イベント", { notice: true, words: [] }),
];

const DEFAULT_KEYS: ReadonlySet<string> = new Set(CONSOLE_SEVERITY_CATALOGUE.map((entry) => entry.key));

/** An override's entry for a word (lower-cased) the catalogue has no key for: the events whose module or action contains it. */
function addedEntry(word: string, severity: Severity): ConsoleEntry {
  return entry(word, severity, `Console events with "${word}"`, `「${word}」を含むコンソールのイベント`, { words: [word] });
}

const catalogueFor = perOverrides((overrides: SeverityOverrides) => applySeverityOverrides(CONSOLE_SEVERITY_CATALOGUE, overrides, addedEntry, (key) => key.toLowerCase()));

/** The catalogue entry of a console event under the configuration, or null. */
export function consoleSeverityOf(event: ClassifiableEvent, config: Pick<Config, "consoleSeverity" | "exportActionPattern">): SeverityEntry | null {
  const flags = classifyConsoleEvent(event, config);
  const logged = textOf(event.raw.Module) ?? "";
  const documented = documentedAction(logged, event.action)?.severity ?? null;
  const module = logged.toLowerCase();
  const action = event.action.toLowerCase();
  const found = catalogueFor(config.consoleSeverity).find(({ key, match }) =>
    (!match.notice || flags.isCritical) &&
    (!match.export || flags.isExport) &&
    (documented !== null && DEFAULT_KEYS.has(key)
      ? key === documented
      : match.words.length === 0 || match.words.some((word) => module.includes(word) || action.includes(word))),
  );
  return found ? { severity: found.severity, label: found.label } : null;
}

/** The console's actions in words, by the action as logged (lower case; the console's English or Japanese). */
const ACTION_WORDS: Readonly<Record<string, Words>> = {
  login: { en: "Login", ja: "ログイン" },
  "login (saml)": { en: "Login (SAML)", ja: "ログイン（SAML）" },
  "login (session-less)": { en: "Login (session-less)", ja: "ログイン（セッションなし）" },
  logout: { en: "Logout", ja: "ログアウト" },
  "download audit log archive": { en: "Audit log archive downloaded", ja: "監査ログのアーカイブのダウンロード" },
  "record file upload": { en: "Record file upload", ja: "添付ファイルのアップロード" },
  "record view": { en: "Record view", ja: "レコードの閲覧" },
  "record add": { en: "Record add", ja: "レコードの追加" },
  "record edit": { en: "Record edit", ja: "レコードの編集" },
  "record delete": { en: "Record delete", ja: "レコードの削除" },
  "record bulk delete": { en: "Record bulk delete", ja: "レコードの一括削除" },
  "comment add": { en: "Comment add", ja: "コメントの追加" },
  "record file download": { en: "Record file download", ja: "添付ファイルのダウンロード" },
  "record export": { en: "Record export", ja: "レコードの書き出し" },
  "record import": { en: "Record import", ja: "レコードの読み込み" },
  "app settings change": { en: "App settings change", ja: "アプリの設定変更" },
  "app deploy": { en: "App deploy", ja: "アプリの運用環境への反映" },
  "app delete": { en: "App delete", ja: "アプリの削除" },
  "export user": { en: "Export users", ja: "ユーザーの書き出し" },
  "export organization": { en: "Export organizations", ja: "組織の書き出し" },
  "add user": { en: "Add user", ja: "ユーザーの追加" },
  "edit user": { en: "Edit user", ja: "ユーザーの変更" },
  "delete user": { en: "Delete user", ja: "ユーザーの削除" },
  "configure security setting": { en: "Configure security settings", ja: "セキュリティ設定の変更" },
  "configure login setting": { en: "Configure login settings", ja: "ログイン設定の変更" },
  "change administrator": { en: "Change administrators", ja: "管理者の変更" },
  "disable audit log": { en: "Disable the audit log", ja: "監査ログの無効化" },
  "run scheduled job": { en: "Run a scheduled job", ja: "定期処理の実行" },
  ログイン: { en: "Login", ja: "ログイン" },
  ログアウト: { en: "Logout", ja: "ログアウト" },
};

/** A console event's action in words in both languages, for the actions the table knows; else null (the action as logged). */
export function describeConsoleEvent(event: ClassifiableEvent): Words | null {
  const key = event.action.trim().toLowerCase();
  return Object.hasOwn(ACTION_WORDS, key) ? ACTION_WORDS[key]! : null;
}
