/**
 * The feature-set contract: a named way of turning stored events into fixed-length numeric
 * vectors. A feature set FITS its state on the baseline month (the classic set needs only the
 * time zone; a per-account profile needs per-account statistics), then ENCODES a whole batch of
 * events with that state into a matrix, one row per event. The batch and the options are the
 * only context: nothing of one batch is kept for the next. State is saved with the baseline
 * (Baseline.extra.state) so a stored baseline encodes the reported day exactly as it encoded
 * the month it was fitted on.
 */
import type { Config } from "../core/config.ts";
import type { AccountProfile, FindingReason } from "../core/report-model.ts";
import type { AuditEvent, JsonValue } from "../core/types.ts";

/** The columns of an event that encoding may read (a stored event has all of them). */
export type EncodableEvent = Pick<AuditEvent, "source" | "tenant" | "occurredAt" | "account" | "action" | "ip" | "ipParsed" | "appId"> &
  Partial<Pick<AuditEvent, "appName" | "level" | "result" | "isLogin" | "isFailedLogin" | "userAgent">> & {
    /** A phone's or tablet's user agent (computed when a stored month is read; else from userAgent). */
    isMobile?: boolean;
  };

/** What fitting may depend on besides the events themselves. */
export interface FitContext {
  /** IANA zone of the report; days, hours and months are taken in it. */
  timezone: string;
  source: string;
  tenant: string;
  /** The baseline month, YYYY-MM. */
  month: string;
  /** The whole configuration, for feature sets with settings of their own (MIN_PROFILE_DAYS...). */
  config: Config;
}

/** Options a feature set may pass to the detector's fit (see src/detect/model.ts). */
export interface FeatureSetModelOptions {
  /** Floor on each standardised column's variance instead of dropping constant columns. */
  varianceFloor?: number | readonly number[];
  /** Shrink the standardised covariance towards the identity (OAS). */
  shrinkage?: "oas";
  /** Refit without the baseline's rows beyond this χ² quantile (e.g. 0.975). */
  robust?: { quantile: number; maxTrimmed?: number };
}

/** What encoding a batch may depend on besides the events and the state. */
export interface EncodeOptions {
  /**
   * The events are the fitted month's own (encoding the baseline, or calibrating on it): each
   * is left out of the counts it is compared with. Default false: a later day to score.
   */
  baseline?: boolean;
}

/**
 * A part of the baseline month as it is fitted and encoded in bounded memory: `events[from, to)`
 * are the part's own events, in time order; the events before `from` and from `to` on are its
 * neighbours in the month (at least `neighbourMs` of them on either side), there only so each
 * own event sees the batch it would see in the whole month.
 */
export interface MonthChunk {
  events: readonly EncodableEvent[];
  from: number;
  to: number;
}

/** Learning a state from the month part by part, in time order (see FeatureSet.fitter). */
export interface ChunkFitter<State> {
  /** Learn from the chunk's own events. Absent: the state needs no events (the month is not read to fit it). */
  add?(chunk: MonthChunk): void;
  /** The state learnt from every chunk added. */
  finish(): State;
}

/** A registered feature set. `State` is whatever `fit` learns from the baseline month. */
export interface FeatureSet<State = unknown> {
  readonly name: string;
  /** One line for `--help` and the README. */
  readonly description: string;
  /**
   * The event fields `fit` and `encode` read (besides source, tenant and occurredAt, always
   * present): a month is loaded with only these. Classic: account, action, ip, ipParsed, appId.
   */
  readonly columns: readonly ("account" | "action" | "ip" | "ipParsed" | "appId" | "result" | "isLogin" | "isFailedLogin" | "isMobile")[];
  /** Names of the vector's components, in order; `featureNames.length` is the dimension. */
  readonly featureNames: readonly string[];
  /** Learn the state encoding needs from the baseline month's events (any order). Pure. */
  fit(baselineEvents: readonly EncodableEvent[], context: FitContext): State;
  /**
   * The same learning a chunk of the month at a time, so a month of millions of events is fitted
   * in memory that grows with accounts and distinct values, not with events: feeding it the whole
   * month as one chunk gives what `fit` gives. A set without one is fitted on the whole month
   * loaded at once.
   */
  fitter?(context: FitContext): ChunkFitter<State>;
  /**
   * How far, before and after an event, `encode` reads the batch's other events (the profile's
   * bursts and failures before a login: 10 minutes). A month is encoded in chunks with this much
   * of it on either side of each chunk, so every event is encoded as in the whole month. Needed
   * with `fitter`; 0 when `encode` reads no neighbours.
   */
  readonly neighbourMs?: number;
  /**
   * The events' vectors, row i (events[i]) at i × featureNames.length. The batch is each event's
   * context (the account's failures before a login, bursts): a reported day is encoded whole,
   * and an event encoded alone has no neighbours. Pure; never NaN or Infinity.
   */
  encode(events: readonly EncodableEvent[], state: State, options?: EncodeOptions): Float64Array;
  /** The state as JSON, stored with the baseline. */
  save(state: State): JsonValue;
  /** The state back from what `save` returned. */
  load(json: JsonValue, context: FitContext): State;
  /** Options for the detector's fit (shrinkage, variance floor...); classic uses none. */
  readonly modelOptions?: FeatureSetModelOptions;
  /**
   * The outlier threshold when ANOMALY_LENGTH is unset, given the baseline month's own distances
   * (sorted ascending). Classic: 10.
   */
  defaultThreshold(baselineDistances: Float64Array, config: Config): number;
  /**
   * The settings the fitted state and default threshold depend on, as one string (for example
   * `MIN_PROFILE_DAYS=5;TARGET_FPR=0.001`): a stored baseline fitted under other settings is
   * refitted. Classic depends on none.
   */
  settingsKey?(config: Config): string;
  /** What the fitted state knows of the event's account, for the reader of an outlier. */
  describeAccount?(event: EncodableEvent, state: State): AccountProfile | null;
  /**
   * Sentences explaining an outlier from its encoded values vector[offset .. offset + d)
   * (optional; the profile set says "first login from ...").
   */
  explain?(event: EncodableEvent, state: State, vector: Float64Array, offset: number): string[];
  /** The same reasons as data (a code and its values) for findings, worded in either language by the report. */
  reasons?(event: EncodableEvent, state: State, vector: Float64Array, offset: number): FindingReason[];
}
