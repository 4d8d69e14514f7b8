/**
 * Time ranges as the console's filter takes them: local dates and times in the console's zone,
 * to the second, both ends included. A range is split on whole seconds only, so that entries of
 * one second are always downloaded together (their ordinals, and so their ids, depend on it).
 */
import { DateTime } from "luxon";

export interface ConsoleWindow {
  /** The half-open instant range covered: [from, to), both on whole seconds. */
  from: Date;
  to: Date;
  startDate: string;
  startTime: string;
  endDate: string;
  endTime: string;
  /** "2026-10-01 00:00:00 – 2026-10-01 23:59:59 (Asia/Tokyo)" */
  label: string;
}

const SECOND = 1000;

/** The console window of whole seconds s with from ≤ s < to; null when there is none. */
export function consoleWindow(from: Date, to: Date, zone: string): ConsoleWindow | null {
  const first = Math.ceil(from.getTime() / SECOND) * SECOND;
  const end = Math.ceil(to.getTime() / SECOND) * SECOND; // exclusive, whole second
  if (end <= first) return null;
  const start = DateTime.fromMillis(first, { zone });
  const last = DateTime.fromMillis(end - SECOND, { zone });
  const window = {
    from: new Date(first),
    to: new Date(end),
    startDate: start.toFormat("yyyy-MM-dd"),
    startTime: start.toFormat("HH:mm:ss"),
    endDate: last.toFormat("yyyy-MM-dd"),
    endTime: last.toFormat("HH:mm:ss"),
    label: "",
  };
  window.label = `${window.startDate} ${window.startTime} – ${window.endDate} ${window.endTime} (${zone})`;
  return window;
}

/** `window` in two halves on a whole second, older half first; null when it is a single second. */
export function splitWindow(window: ConsoleWindow, zone: string): [ConsoleWindow, ConsoleWindow] | null {
  const seconds = (window.to.getTime() - window.from.getTime()) / SECOND;
  if (seconds < 2) return null;
  const middle = new Date(window.from.getTime() + Math.floor(seconds / 2) * SECOND);
  return [consoleWindow(window.from, middle, zone)!, consoleWindow(middle, window.to, zone)!];
}
