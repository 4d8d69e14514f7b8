/**
 * The emulated tenant's log: events ordered by `log_id` (as Auth0 orders checkpoint results),
 * with the two ways `GET /api/v2/logs` reads it. Visibility depends on the emulator's clock:
 * an entry older than the plan's retention is gone, and an entry dated after "now" has not
 * happened yet (so a fixed clock moved forward makes new entries appear, as on a live tenant).
 */
import { randomInt } from "node:crypto";
import type { LogQuery } from "./query-syntax.ts";

export interface StoredLog {
  logId: string;
  /** `date` as epoch ms; NaN when the entry has no readable date (never expires, always visible). */
  time: number;
  record: Record<string, unknown>;
}

/** Orders digit strings numerically (shorter first), anything else lexically after that. */
export function compareLogIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

const DIGITS = "0123456789";

/** A 56-digit id in Auth0's shape for an entry that has none: "900", the time, a sequence, noise. */
export function syntheticLogId(time: number, sequence: number): string {
  const stamp = Number.isFinite(time) ? new Date(time).toISOString().replace(/[-:T.Z]/g, "").slice(0, 17) : "0".repeat(17);
  let noise = "";
  for (let i = 0; i < 28; i++) noise += DIGITS[randomInt(10)];
  return `900${stamp}${String(sequence % 1e8).padStart(8, "0")}${noise}`;
}

export interface Visibility {
  /** Entries dated before this instant (ms) are gone; null keeps everything. */
  cutoff: number | null;
  /** Entries dated after this instant (ms) have not happened yet. */
  now: number;
}

function visible(entry: StoredLog, v: Visibility): boolean {
  if (Number.isNaN(entry.time)) return true;
  if (v.cutoff !== null && entry.time < v.cutoff) return false;
  return entry.time <= v.now;
}

export interface SearchOptions {
  query: LogQuery | null;
  /** Field and direction, e.g. { field: "date", direction: -1 }. */
  sort: { field: string; direction: 1 | -1 };
}

function sortValue(entry: StoredLog, field: string): string | number {
  if (field === "date") return Number.isNaN(entry.time) ? 0 : entry.time;
  const value = entry.record[field];
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export class LogStore {
  private readonly entries: StoredLog[];
  private readonly byId = new Map<string, StoredLog>();
  /** Entries given without a log_id, which were given one. */
  readonly assignedIds: number;
  /** Entries dropped because their log_id repeated an earlier one. */
  readonly duplicateIds: number;

  constructor(records: Iterable<unknown>) {
    const entries: StoredLog[] = [];
    let assigned = 0;
    let duplicates = 0;
    let sequence = 0;
    for (const value of records) {
      if (typeof value !== "object" || value === null || Array.isArray(value)) continue;
      const record = { ...(value as Record<string, unknown>) };
      const time = typeof record.date === "string" ? Date.parse(record.date) : typeof record.date === "number" ? record.date : Number.NaN;
      let logId = typeof record.log_id === "string" && record.log_id !== "" ? record.log_id : null;
      if (logId === null) {
        logId = syntheticLogId(time, sequence);
        record.log_id = logId;
        assigned += 1;
      }
      sequence += 1;
      if (this.byId.has(logId)) {
        duplicates += 1;
        continue;
      }
      const entry = { logId, time, record };
      this.byId.set(logId, entry);
      entries.push(entry);
    }
    entries.sort((a, b) => compareLogIds(a.logId, b.logId));
    this.entries = entries;
    this.assignedIds = assigned;
    this.duplicateIds = duplicates;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The entry with this id, if it is still visible. */
  get(logId: string, v: Visibility): Record<string, unknown> | null {
    const entry = this.byId.get(logId);
    return entry && visible(entry, v) ? entry.record : null;
  }

  /** Checkpoint mode: up to `take` visible entries with a log_id greater than `from`, ascending. */
  after(from: string, take: number, v: Visibility): Record<string, unknown>[] {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareLogIds(this.entries[mid]!.logId, from) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const out: Record<string, unknown>[] = [];
    for (let i = lo; i < this.entries.length && out.length < take; i++) {
      const entry = this.entries[i]!;
      if (visible(entry, v)) out.push(entry.record);
    }
    return out;
  }

  /** Search mode: every visible entry matching the query, sorted (the caller pages); `total` is their number. */
  search(options: SearchOptions, v: Visibility): { total: number; ordered: Record<string, unknown>[] } {
    const matching = this.entries.filter((entry) => visible(entry, v) && (options.query === null || options.query(entry.record)));
    const { field, direction } = options.sort;
    const keyed = matching.map((entry) => ({ entry, key: sortValue(entry, field) }));
    keyed.sort((a, b) => {
      if (a.key < b.key) return -direction;
      if (a.key > b.key) return direction;
      return direction * compareLogIds(a.entry.logId, b.entry.logId);
    });
    return { total: matching.length, ordered: keyed.map((k) => k.entry.record) };
  }
}
