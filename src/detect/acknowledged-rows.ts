/**
 * Acknowledged events in the next baselines: what `kansa ack` marked expected counts as
 * ordinary. A baseline of month M serves the reported days of month M + 1; the acknowledged
 * events of its source and tenant that occurred after M and before the reported day join the
 * rows it is fitted on, so an address, an app or an action first seen in an acknowledged finding
 * is known the day after. The key of those events is added to the baseline's settings key: a
 * stored baseline fitted with other acknowledged events (none, or fewer) is refitted.
 */
import { createHash } from "node:crypto";
import { addDays, dayRange, monthDays, monthOf, monthRange, todayIn } from "../core/calendar.ts";
import type { Database } from "../store/database.ts";
import type { EncodingRow, SourceTenant } from "../store/event-queries.ts";
import { loadAcknowledgedEvents } from "../store/acknowledgements.ts";

export interface AcknowledgedRows {
  /** The acknowledged events to fit on besides the month's, oldest first. */
  rows: EncodingRow[];
  /** `base` (a feature set's settings key) with these events' key added; `base` itself when there are none. */
  settingsKey(base: string): string;
  /** The month's `rows` followed by the acknowledged ones (`rows` itself when there are none). */
  addTo(rows: EncodingRow[]): EncodingRow[];
}

/**
 * The acknowledged events of `scope` from the end of `month` up to the reported day `day`
 * (YYYY-MM-DD in `timezone`; default today by the clock), never beyond the month after `month`.
 */
export async function acknowledgedRows(db: Database, scope: SourceTenant, month: string, timezone: string, day?: string): Promise<AcknowledgedRows> {
  const from = monthRange(month, timezone).to;
  const dayStart = dayRange(day ?? todayIn(timezone), timezone).from;
  const monthAfterEnd = monthRange(monthOf(addDays(monthDays(month).last, 1)), timezone).to;
  const to = dayStart < monthAfterEnd ? dayStart : monthAfterEnd;
  const events = to > from ? await loadAcknowledgedEvents(db, scope, { from, to }) : [];
  if (events.length === 0) return { rows: [], settingsKey: (base) => base, addTo: (rows) => rows };
  const hash = createHash("sha256").update(events.map((e) => e.externalId).sort().join("\u0000")).digest("hex").slice(0, 12);
  const key = `ACKNOWLEDGED=${events.length}:${hash}`;
  const acknowledged = events.map(({ externalId: _, ...row }) => row);
  return {
    rows: acknowledged,
    settingsKey: (base) => (base === "" ? key : `${base};${key}`),
    addTo: (rows) => [...rows, ...acknowledged],
  };
}
