/**
 * Wall-clock time of an instant in an IANA zone, fast enough for a month of events: the zone's
 * offset is looked up once per 15-minute UTC bucket (and per event only in the rare bucket that
 * contains an offset change), instead of building a luxon DateTime per event.
 */
import { IANAZone } from "luxon";

const BUCKET_MS = 15 * 60 * 1000;

/** Offset lookups for one zone. Create one per zone and reuse it. */
export class ZoneClock {
  readonly zone: string;
  private readonly iana: IANAZone;
  private readonly cache = new Map<number, number>();
  private lastBucket = Number.NaN;
  private lastOffset = 0;

  constructor(zone: string) {
    if (!IANAZone.isValidZone(zone)) throw new RangeError(`Unknown time zone "${zone}".`);
    this.zone = zone;
    this.iana = IANAZone.create(zone);
  }

  /** Offset from UTC in minutes at the instant `ms` (epoch milliseconds). */
  offsetMinutes(ms: number): number {
    const bucket = Math.floor(ms / BUCKET_MS);
    // Events come mostly in time order: the previous bucket is the likely one.
    if (bucket === this.lastBucket) return this.lastOffset;
    const cached = this.cache.get(bucket);
    if (cached !== undefined && !Number.isNaN(cached)) {
      this.lastBucket = bucket;
      this.lastOffset = cached;
      return cached;
    }
    if (cached !== undefined) return this.iana.offset(ms); // bucket holds a change: exact lookup
    const start = this.iana.offset(bucket * BUCKET_MS);
    const end = this.iana.offset((bucket + 1) * BUCKET_MS - 1);
    if (this.cache.size > 100_000) this.cache.clear();
    if (start === end) {
      this.cache.set(bucket, start);
      this.lastBucket = bucket;
      this.lastOffset = start;
      return start;
    }
    this.cache.set(bucket, Number.NaN);
    return this.iana.offset(ms);
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
