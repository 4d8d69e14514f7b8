/**
 * The range a source is asked for, from how it resumes (src/sources/contract.ts, Resume): a
 * cursor-resumed source starts its declared number of days back while it has no cursor (it pulls
 * from its cursor otherwise); a range-resumed source re-reads the day, caught up from its cursor.
 */
import { DateTime } from "luxon";
import type { Config } from "../core/config.ts";
import type { TimeRange } from "../core/types.ts";
import type { Source } from "../sources/contract.ts";
import { addDays, dayRange } from "../core/calendar.ts";
import type { Database } from "../store/database.ts";
import { readCursor } from "../store/cursors.ts";

/** Where a cursor-resumed source starts when it has no cursor yet: its `startDays` before `now`. */
export function cursorStart(resume: Extract<Source["resume"], { kind: "cursor" }>, now: Date): Date {
  return DateTime.fromJSDate(now).minus({ days: resume.startDays }).toJSDate();
}

/** What range a source is asked for on the daily run of `today`. */
export async function dailyRange(db: Database, config: Config, source: Source, today: string, now: Date): Promise<TimeRange> {
  const zone = config.reportTimezone;
  const day = addDays(today, -1);
  const to = new Date(Math.min(now.getTime(), dayRange(today, zone).to.getTime()));
  // Used only while the source has no cursor: it pulls from its cursor otherwise.
  if (source.resume.kind === "cursor") return { from: cursorStart(source.resume, now), to: now };
  let from = dayRange(day, zone).from;
  // Catch up the days a missed run left out (the cursor is where the last collection ended),
  // never further back than the source still serves.
  const cursor = await readCursor(db, source.name, source.tenant);
  const last = cursor?.cursor ? new Date(cursor.cursor) : null;
  const oldest = DateTime.fromJSDate(from).minus({ days: source.resume.catchUpDays }).toJSDate();
  if (last && Number.isFinite(last.getTime()) && last < from && last > oldest) from = last;
  return { from, to };
}
