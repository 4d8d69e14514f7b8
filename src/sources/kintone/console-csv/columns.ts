/**
 * The console CSV's columns. Cells are keyed by these English names whatever the header's
 * language; a header is matched ignoring case, spaces and a byte-order mark.
 */

/** The known columns, in the canonical order used for hashing rows. */
export const CONSOLE_COLUMNS = [
  "Date", "Level", "Service", "User", "IP Address", "User Agent", "Module", "Action", "Result", "Error Code", "Complement",
] as const;

export type ConsoleColumn = (typeof CONSOLE_COLUMNS)[number];

/** Header spellings (Japanese and English UI, and variants seen in exports) per column. */
const ALIASES: Record<ConsoleColumn, string[]> = {
  Date: ["Date", "Date and Time", "Datetime", "Time", "日時", "日付", "日付と時刻"],
  Level: ["Level", "レベル", "重要度"],
  Service: ["Service", "サービス"],
  User: ["User", "User Name", "Login Name", "ユーザー", "ユーザ", "ユーザー名", "ログイン名"],
  "IP Address": ["IP Address", "IP", "IPアドレス"],
  "User Agent": ["User Agent", "UserAgent", "ユーザーエージェント", "ユーザエージェント"],
  Module: ["Module", "モジュール"],
  Action: ["Action", "Operation", "アクション", "操作"],
  Result: ["Result", "結果"],
  "Error Code": ["Error Code", "エラーコード"],
  Complement: ["Complement", "Details", "Detail", "補足", "補足情報", "詳細"],
};

function key(header: string): string {
  return header.replace(/^\uFEFF/, "").replace(/[\s\u3000_]+/g, "").toLowerCase();
}

const BY_KEY = new Map<string, ConsoleColumn>();
for (const column of CONSOLE_COLUMNS) for (const alias of ALIASES[column]) BY_KEY.set(key(alias), column);

/** The English column name of a header cell, or null for a column kansa does not know. */
export function columnOf(header: string): ConsoleColumn | null {
  return BY_KEY.get(key(header)) ?? null;
}

/**
 * Map a header row to cell keys: known columns become their English name, unknown ones keep
 * their header text (trimmed; a repeated or empty header gets a numbered name). Returns null
 * when the header is not a console audit-log header (it needs Date and at least two other
 * known columns, among them Action or User).
 */
export function mapHeader(header: string[]): string[] | null {
  const used = new Set<string>();
  const names = header.map((cell, index) => {
    const known = columnOf(cell);
    let name = known && !used.has(known) ? known : cell.replace(/^\uFEFF/, "").trim() || `Column ${index + 1}`;
    while (used.has(name)) name = `${name} (${index + 1})`;
    used.add(name);
    return name;
  });
  const known = new Set(header.map(columnOf).filter((c): c is ConsoleColumn => c !== null));
  if (!known.has("Date") || known.size < 3 || !(known.has("Action") || known.has("User"))) return null;
  return names;
}

/** Console values that differ between the Japanese and English UI, mapped to English (for ids). */
const VALUE_SYNONYMS: Record<string, string> = {
  重要: "Notice",
  情報: "Information",
  共通: "Common",
  成功: "SUCCESS",
  失敗: "FAILED",
};

/** The English form of a level, service or result value where the Japanese UI translates it. */
export function canonicalValue(value: string): string {
  return VALUE_SYNONYMS[value.trim()] ?? value;
}
