/**
 * Fitting a feature set and its detector on a baseline month in bounded memory. The month is read
 * from the store page by page, twice: once to learn the feature set's state (skipped when the
 * state needs no events, as classic's), once to encode it, chunk by chunk with each chunk's
 * neighbours (month-chunks.ts), the vectors spilled to a temporary file. The detector's moments,
 * the robust refit and the month's own distances are read from that file (encoded-rows.ts). What
 * is held grows with the accounts and distinct values (the state), plus one distance per event
 * (8 bytes: the month's distances are kept to place a reported distance among them).
 * A feature set without a chunk fitter is fitted on the whole month loaded at once, as before.
 */
import type { EncodableEvent, FeatureSet, FitContext } from "../encode/feature-set.ts";
import { encodeEvents } from "../encode/encode-events.ts";
import { ZoneClock } from "../encode/local-time.ts";
import { SpilledRows } from "./encoded-rows.ts";
import { fitRows, type DetectionModel } from "./model.ts";
import type { Moments } from "./moments.ts";
import { asPages, monthChunks } from "./month-chunks.ts";
import { scoreRows } from "./score.ts";

/** The month's events, read again from its start each time it is called, in time order. */
export type MonthPages = () => AsyncIterable<readonly EncodableEvent[]>;

/** Own events per chunk when a month is fitted and encoded in chunks. */
export const FIT_CHUNK_ROWS = 20_000;

export interface MonthFit {
  state: unknown;
  moments: Moments;
  model: DetectionModel;
  /** Events fitted on. */
  n: number;
  /** The month's own distances, sorted ascending. */
  distances: Float64Array;
  /** Events per local hour (24 bins). */
  hourly: number[];
  /** Distinct accounts, and the only one when there is one. */
  accounts: { count: number; only: string | null };
}

/** The month's events per local hour and its distinct accounts, counted as events go by. */
export class MonthTally {
  readonly hourly = new Array<number>(24).fill(0);
  private readonly accountSet = new Set<string>();
  private readonly clock: ZoneClock;

  constructor(timezone: string) {
    this.clock = new ZoneClock(timezone);
  }

  /** Count `events[from, to)`. */
  add(events: readonly EncodableEvent[], from = 0, to = events.length): void {
    for (let i = from; i < to; i++) {
      const event = events[i]!;
      this.hourly[this.clock.hour(event.occurredAt.getTime())]! += 1;
      this.accountSet.add(event.account);
    }
  }

  /** Distinct accounts, and the only one when there is one. */
  accounts(): { count: number; only: string | null } {
    const count = this.accountSet.size;
    return { count, only: count === 1 ? [...this.accountSet][0]! : null };
  }
}

export interface FitMonthOptions {
  /** Own events per chunk (default FIT_CHUNK_ROWS). */
  chunkRows?: number;
}

/** Fit `featureSet`'s state and detector on the month `pages` reads (see the file's comment). */
export async function fitMonth(featureSet: FeatureSet<unknown>, context: FitContext, pages: MonthPages, options: FitMonthOptions = {}): Promise<MonthFit> {
  let read = pages;
  let chunkRows = options.chunkRows ?? FIT_CHUNK_ROWS;
  let margin = featureSet.neighbourMs ?? 0;
  let state: unknown;
  const fitter = featureSet.fitter?.(context);
  if (fitter) {
    if (fitter.add) for await (const chunk of monthChunks(read(), margin, chunkRows)) fitter.add(chunk);
    state = fitter.finish();
  } else {
    // No chunk fitter: the whole month at once, fitted and encoded as one batch.
    const all: EncodableEvent[] = [];
    for await (const page of read()) for (const event of page) all.push(event);
    state = featureSet.fit(all, context);
    read = () => asPages(all);
    chunkRows = Math.max(1, all.length);
    margin = 0;
  }
  const d = featureSet.featureNames.length;
  const tally = new MonthTally(context.timezone);
  const rows = new SpilledRows(d);
  try {
    for await (const chunk of monthChunks(read(), margin, chunkRows)) {
      const { data } = encodeEvents(chunk.events, featureSet, state, { baseline: true });
      rows.append(data.subarray(chunk.from * d, chunk.to * d), chunk.to - chunk.from);
      tally.add(chunk.events, chunk.from, chunk.to);
    }
    const { moments, model } = fitRows(rows, featureSet.featureNames, featureSet.modelOptions ?? {});
    const distances = scoreRows(model, rows).sort();
    return { state, moments, model, n: rows.n, distances, hourly: tally.hourly, accounts: tally.accounts() };
  } finally {
    rows.close();
  }
}
