/**
 * Wall-clock time of an instant in an IANA zone. The offset comes from the platform's time-zone
 * rules (Intl, as luxon reads them) at each instant: formatting only the offset is several
 * times cheaper than the full date luxon formats, and a day of events needs one per event.
 */
import { IANAZone } from "luxon";

/** The offset as Intl's "longOffset" writes it at the end: `GMT+09:00`, `GMT-03:30`, `GMT` for UTC. */
const LONG_OFFSET = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

const QUARTER_MS = 900_000;
/** Quarters cached per clock at most (a year is 35,040). */
const MAX_QUARTERS = 50_000;

/** Wall-clock readings of instants in one zone. */
export class ZoneClock {
  readonly zone: string;
  private readonly offsetFormat: Intl.DateTimeFormat;

  constructor(zone: string) {
    if (!IANAZone.isValidZone(zone)) throw new RangeError(`Unknown time zone "${zone}".`);
    this.zone = zone;
    this.offsetFormat = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
  }

  /**
   * Offsets by UTC quarter hour (ms / 900,000), for the quarters whose first and last millisecond
   * have the same offset: a month's events share about 3,000 quarters, and asking Intl for each
   * event's offset took 10.6 s of the 50 s of CPU that fitting a million-event month took (bench
   * scale, issue 25). A quarter holding a change of offset is never cached; present-day changes
   * fall on quarter-hour boundaries, so in practice every quarter is.
   */
  private readonly quarters = new Map<number, number>();

  /** Offset from UTC in minutes at the instant `ms` (epoch milliseconds). */
  offsetMinutes(ms: number): number {
    if (!Number.isFinite(ms)) return Number.NaN; // an invalid date, as luxon answers it
    const quarter = Math.floor(ms / QUARTER_MS);
    const known = this.quarters.get(quarter);
    if (known !== undefined) return known;
    const offset = this.formattedOffset(ms);
    if (this.formattedOffset(quarter * QUARTER_MS) === offset && this.formattedOffset(quarter * QUARTER_MS + QUARTER_MS - 1) === offset) {
      if (this.quarters.size >= MAX_QUARTERS) this.quarters.clear();
      this.quarters.set(quarter, offset);
    }
    return offset;
  }

  /** The offset at `ms` as Intl formats it, in minutes. */
  private formattedOffset(ms: number): number {
    const [, sign, hours, minutes, seconds] = LONG_OFFSET.exec(this.offsetFormat.format(ms)) ?? [];
    if (sign === undefined) return 0;
    const offset = Number(hours) * 60 + Number(minutes) + Number(seconds ?? 0) / 60;
    return sign === "-" ? -offset : offset;
  }

  /** Seconds since local midnight (0 .. 86399) of the instant. */
  secondsOfDay(ms: number): number {
    const localSeconds = Math.floor((ms + this.offsetMinutes(ms) * 60_000) / 1000);
    return ((localSeconds % 86_400) + 86_400) % 86_400;
  }

  /** The local calendar day of the instant as days since the epoch in the zone (cheaper than localDate). */
  dayNumber(ms: number): number {
    return Math.floor((ms + this.offsetMinutes(ms) * 60_000) / 86_400_000);
  }

  /** The local calendar day of the instant, YYYY-MM-DD. */
  localDate(ms: number): string {
    return new Date(ms + this.offsetMinutes(ms) * 60_000).toISOString().slice(0, 10);
  }

  /** Local hour (0 .. 23) of the instant. */
  hour(ms: number): number {
    return Math.floor(this.secondsOfDay(ms) / 3600);
  }

  /** The local time as the number HHMMSS (12:54:32 → 125432). */
  hhmmss(ms: number): number {
    const s = this.secondsOfDay(ms);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return h * 10_000 + m * 100 + (s % 60);
  }
}
