/**
 * The emulated console's audit log: entries kept newest first, queried by an inclusive range of
 * local seconds, rendered in the UI language (Japanese or English level and service names).
 */

/** One audit-log entry as the console holds it: cells keyed by the English column names. */
export interface EmulatedEntry {
  /** Local date-time as a number YYYYMMDDhhmmss, for ordering and range queries. */
  key: number;
  cells: Record<string, string>;
}

export type ConsoleLang = "ja" | "en";

/** The console's columns, English name → Japanese header. */
export const CONSOLE_COLUMNS: readonly { en: string; ja: string }[] = [
  { en: "Date", ja: "日時" },
  { en: "Level", ja: "レベル" },
  { en: "Service", ja: "サービス" },
  { en: "User", ja: "ユーザー" },
  { en: "IP Address", ja: "IPアドレス" },
  { en: "User Agent", ja: "ユーザーエージェント" },
  { en: "Module", ja: "モジュール" },
  { en: "Action", ja: "アクション" },
  { en: "Result", ja: "結果" },
  { en: "Error Code", ja: "エラーコード" },
  { en: "Complement", ja: "補足" },
];

/** Values the console shows in the viewer's language (column → [ja, en] pairs). */
const TRANSLATED: Record<string, [string, string][]> = {
  Level: [["重要", "Notice"], ["情報", "Information"], ["警告", "Warning"]],
  Service: [["共通", "Common"]],
};

/** `value` of `column` as the console shows it in `lang` (unknown values unchanged). */
export function translateCell(column: string, value: string, lang: ConsoleLang): string {
  const pairs = TRANSLATED[column];
  if (!pairs) return value;
  for (const [ja, en] of pairs) {
    if (value === ja || value === en) return lang === "ja" ? ja : en;
  }
  return value;
}

const DATE_TIME = /^\s*(\d{4})\D(\d{1,2})\D(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?/;

/** The sortable key YYYYMMDDhhmmss of a console date cell, or null when it is not a date. */
export function dateKey(text: string): number | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 59) return null;
  return ((((y! * 100 + mo!) * 100 + d!) * 100 + h!) * 100 + mi!) * 100 + s!;
}

/** The key of local date `YYYY-MM-DD` and time `hh:mm[:ss]`, or null when malformed. */
export function keyOf(date: string, time: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date.trim()) || !/^\d{1,2}:\d{2}(:\d{2})?$/.test(time.trim())) return null;
  return dateKey(`${date.trim()} ${time.trim()}`);
}

/** The entries, newest first, with range queries by binary search. */
export class AuditLog {
  private readonly entries: EmulatedEntry[];
  /** Header names of columns beyond the standard eleven, in first-seen order. */
  readonly extraColumns: string[];

  constructor(entries: EmulatedEntry[]) {
    // Stable sort: entries of the same second keep the order they were given in.
    this.entries = entries.slice().sort((a, b) => b.key - a.key);
    const standard = new Set(CONSOLE_COLUMNS.map((c) => c.en));
    const extra = new Set<string>();
    for (const entry of this.entries) for (const name of Object.keys(entry.cells)) if (!standard.has(name)) extra.add(name);
    this.extraColumns = [...extra];
  }

  get size(): number {
    return this.entries.length;
  }

  /** Key of the newest entry, or null when empty. */
  get newestKey(): number | null {
    return this.entries[0]?.key ?? null;
  }

  /** Entries with `startKey ≤ key ≤ endKey`, newest first. */
  query(startKey: number, endKey: number): EmulatedEntry[] {
    // entries are sorted descending: first index with key ≤ endKey, first index with key < startKey
    const lower = (predicate: (e: EmulatedEntry) => boolean): number => {
      let lo = 0;
      let hi = this.entries.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (predicate(this.entries[mid]!)) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
    const first = lower((e) => e.key <= endKey);
    const end = lower((e) => e.key < startKey);
    return first < end ? this.entries.slice(first, end) : [];
  }
}

/** Build entries from English-keyed cells; rows whose Date cell is not a date are skipped and counted. */
export function entriesFromCells(rows: Iterable<Record<string, string>>): { entries: EmulatedEntry[]; skipped: number } {
  const entries: EmulatedEntry[] = [];
  let skipped = 0;
  for (const cells of rows) {
    const key = dateKey(cells.Date ?? "");
    if (key === null) skipped++;
    else entries.push({ key, cells });
  }
  return { entries, skipped };
}
