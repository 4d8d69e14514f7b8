/**
 * Getting the baseline of one source+tenant for one month and feature set: reuse the stored one
 * while the month's events are unchanged (see isBaselineCurrent), else read the month page by
 * page, fit the feature set's state, encode, compute mean and sample covariance (fit-month.ts,
 * in memory bounded whatever the month's size), and store them. Below
 * MIN_BASELINE_EVENTS there is no baseline, and the result says how to get one.
 */
import type { Config } from "../core/config.ts";
import type { JsonObject, JsonValue } from "../core/types.ts";
import type { FeatureSet, FitContext } from "../encode/feature-set.ts";
import type { Moments } from "./moments.ts";
import { modelFromMoments, type DetectionModel } from "./model.ts";
import { fitMonth, MonthTally, type MonthPages } from "./fit-month.ts";
import { asPages, followedBy } from "./month-chunks.ts";
import { sketchDistances, sketchFrom, type DistanceSketch } from "./distance-percentile.ts";
import type { Database } from "../store/database.ts";
import { dataVersionOf, isBaselineCurrent, readBaseline, writeBaseline } from "../store/baselines.ts";
import { loadEncodingEvents, pagesOfEncodingEvents, rangeFingerprint, type EncodingRow, type SourceTenant } from "../store/event-queries.ts";
import { daysInMonth, monthRange } from "../core/calendar.ts";
import { now as clockNow } from "../core/clock.ts";
import { acknowledgedRows } from "./acknowledged-rows.ts";

export interface LoadedBaseline {
  scope: SourceTenant;
  month: string;
  timezone: string;
  featureSet: FeatureSet<unknown>;
  /** False when the month has fewer than MIN_BASELINE_EVENTS events. */
  available: boolean;
  /** Events of the month (the fitted count when available). */
  n: number;
  /** Fitted feature-set state and detector; present when available. */
  state?: unknown;
  model?: DetectionModel;
  droppedFeatures: string[];
  /** Threshold on the plain distance: ANOMALY_LENGTH, else the feature set's default for this baseline. */
  threshold: number;
  /** Events of the month per local hour (24 bins). */
  hourly: number[];
  /** Calendar days in the month (for the average day). */
  days: number;
  /** Distinct accounts in the month. */
  accounts: number;
  /** When the baseline was computed; undefined when unavailable. */
  computedAt?: Date;
  /** The month's own distances, as a sketch: where a distance of the reported day stands among them (see percentile). */
  distances?: DistanceSketch;
  /** True when reused from the Baseline table without loading the month. */
  reused: boolean;
  /** Sentence for the reader when unavailable or degenerate. */
  notices: string[];
}

export interface BaselineRequest {
  scope: SourceTenant;
  month: string;
  featureSet: FeatureSet<unknown>;
  /** Refit even when a current baseline is stored. */
  refit?: boolean;
  /** The month's rows when the caller already loaded them (calibrate). */
  rows?: EncodingRow[];
  /** The reported day: acknowledged events before it join the fit (default today; see acknowledged-rows.ts). */
  day?: string;
  /** Events per page read and per chunk fitted (default FIT_CHUNK_ROWS; tests make it small). */
  chunkRows?: number;
}

function toJsonNumbers(values: Float64Array): number[] {
  return Array.from(values, (v) => (Number.isFinite(v) ? v : 0));
}

function fromStored(mean: number[], covariance: number[][]): Moments | null {
  const d = mean.length;
  if (!Array.isArray(mean) || !Array.isArray(covariance) || covariance.length !== d) return null;
  const cov = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    const row = covariance[a];
    if (!Array.isArray(row) || row.length !== d) return null;
    for (let b = 0; b < d; b++) cov[a * d + b] = Number(row[b]);
  }
  return { n: 0, d, mean: Float64Array.from(mean, Number), covariance: cov };
}

function degenerateNotices(scope: SourceTenant, month: string, dropped: string[], accounts: { count: number; only: string | null }): string[] {
  const notices: string[] = [];
  const who = `${scope.source} ${scope.tenant}`;
  if (accounts.count === 1) {
    notices.push(`${who}: every event of ${month} has the same account (${JSON.stringify(accounts.only)}), so the account cannot distinguish events.`);
  }
  if (dropped.length > 0) {
    notices.push(`${who}: feature(s) ${dropped.join(", ")} had one value throughout ${month} and are left out of the distance.`);
  }
  return notices;
}

/** The baseline for the request: stored and current, freshly fitted (and stored), or unavailable. */
export async function ensureBaseline(db: Database, config: Config, request: BaselineRequest): Promise<LoadedBaseline> {
  const { scope, month, featureSet } = request;
  const timezone = config.reportTimezone;
  const range = monthRange(month, timezone);
  const key = { source: scope.source, tenant: scope.tenant, month, timezone, featureSet: featureSet.name };
  const context: FitContext = { timezone, source: scope.source, tenant: scope.tenant, month, config };
  const fingerprint = await rangeFingerprint(db, scope, range);
  const days = daysInMonth(month);
  const resolveThreshold = (fallback: number) => config.anomalyLength ?? fallback;
  const acknowledged = await acknowledgedRows(db, scope, month, timezone, request.day);
  const settingsKey = acknowledged.settingsKey(featureSet.settingsKey?.(config) ?? "");

  const stored = request.refit ? null : await readBaseline(db, key);
  if (stored && isBaselineCurrent(stored, fingerprint)) {
    const moments = fromStored(stored.mean, stored.covariance);
    const extra = stored.extra;
    const names = Array.isArray(extra.featureNames) ? (extra.featureNames as string[]) : [];
    const sameShape = moments && names.join("\u0000") === featureSet.featureNames.join("\u0000") && (extra.settingsKey ?? "") === settingsKey;
    // A baseline stored before distances were kept is refitted once, so percentiles can be given.
    const sketch = sketchFrom(extra.distances);
    if (moments && sameShape && sketch) {
      moments.n = stored.n;
      const model = modelFromMoments(moments, featureSet.featureNames, featureSet.modelOptions ?? {});
      const state = featureSet.load((extra.state ?? null) as JsonValue, context);
      const hourly = Array.isArray(extra.hourly) && extra.hourly.length === 24 ? (extra.hourly as number[]) : new Array<number>(24).fill(0);
      const accounts = { count: Number(extra.accounts ?? 0), only: typeof extra.onlyAccount === "string" ? extra.onlyAccount : null };
      return {
        scope, month, timezone, featureSet, available: true, n: stored.n, state, model,
        droppedFeatures: model.droppedFeatures,
        threshold: resolveThreshold(Number(extra.defaultThreshold ?? featureSet.defaultThreshold(new Float64Array(0), config))),
        hourly, days, accounts: accounts.count, computedAt: stored.computedAt, reused: true, distances: sketch,
        notices: degenerateNotices(scope, month, model.droppedFeatures, accounts),
      };
    }
  }

  if (fingerprint.count < config.minBaselineEvents) {
    const rows = request.rows ?? (fingerprint.count > 0 ? await loadEncodingEvents(db, scope, range, featureSet.columns) : []);
    const tally = new MonthTally(timezone);
    tally.add(rows);
    return {
      scope, month, timezone, featureSet, available: false, n: rows.length, droppedFeatures: [],
      threshold: resolveThreshold(featureSet.defaultThreshold(new Float64Array(0), config)),
      hourly: tally.hourly, days, accounts: tally.accounts().count, reused: false,
      notices: [
        `No baseline for ${scope.source} ${scope.tenant}: ${month} has ${rows.length} stored event(s), fewer than MIN_BASELINE_EVENTS (${config.minBaselineEvents}), so no outliers were computed. Run \`kansa backfill --month ${month}\` to collect that month.`,
      ],
    };
  }

  const pages: MonthPages = request.rows
    ? () => asPages(acknowledged.addTo(request.rows!))
    : () => followedBy(pagesOfEncodingEvents(db, scope, range, featureSet.columns, request.chunkRows), acknowledged.rows);
  const { state, moments, model, n, distances, hourly, accounts } = await fitMonth(featureSet, context, pages, { chunkRows: request.chunkRows });
  const d = featureSet.featureNames.length;
  const defaultThreshold = featureSet.defaultThreshold(distances, config);
  const sketch = sketchDistances(distances);
  const covariance: number[][] = [];
  for (let a = 0; a < d; a++) covariance.push(toJsonNumbers(moments.covariance.subarray(a * d, (a + 1) * d)));
  const extra: JsonObject = {
    featureNames: [...featureSet.featureNames],
    droppedFeatures: model.droppedFeatures,
    method: model.method,
    state: featureSet.save(state),
    hourly,
    accounts: accounts.count,
    onlyAccount: accounts.only,
    defaultThreshold,
    settingsKey,
    distances: sketch as unknown as JsonObject,
  };
  const computedAt = clockNow();
  await writeBaseline(db, { ...key, n, mean: toJsonNumbers(moments.mean), covariance, extra, dataVersion: dataVersionOf(fingerprint), computedAt });
  return {
    scope, month, timezone, featureSet, available: true, n, state, model, droppedFeatures: model.droppedFeatures,
    threshold: resolveThreshold(defaultThreshold), hourly, days, accounts: accounts.count, computedAt, reused: false, distances: sketch,
    notices: degenerateNotices(scope, month, model.droppedFeatures, accounts),
  };
}
