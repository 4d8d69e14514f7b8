/** Encoding many events into one row-major Float64Array (n rows × d columns). */
import type { EncodableEvent, FeatureSet } from "./feature-set.ts";

export interface EncodedMatrix {
  data: Float64Array;
  n: number;
  d: number;
}

/** Encode `events` with `featureSet` and its fitted `state`, row i at offset i × d. */
export function encodeEvents<S>(events: readonly EncodableEvent[], featureSet: FeatureSet<S>, state: S): EncodedMatrix {
  const d = featureSet.featureNames.length;
  const n = events.length;
  const data = new Float64Array(n * d);
  featureSet.prepare?.(events, state);
  for (let i = 0; i < n; i++) featureSet.encode(events[i]!, state, data, i * d);
  // A feature set must never emit NaN/Infinity; enforce it so one bad value cannot poison a baseline.
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) data[i] = 0;
  return { data, n, d };
}
