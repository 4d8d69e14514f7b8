/** Encoding many events into one row-major Float64Array (n rows × d columns). */
import type { EncodableEvent, EncodeOptions, FeatureSet } from "./feature-set.ts";

export interface EncodedMatrix {
  data: Float64Array;
  n: number;
  d: number;
}

/** Encode the batch `events` with `featureSet` and its fitted `state`, row i at offset i × d. */
export function encodeEvents<S>(events: readonly EncodableEvent[], featureSet: FeatureSet<S>, state: S, options: EncodeOptions = {}): EncodedMatrix {
  const d = featureSet.featureNames.length;
  const n = events.length;
  const data = featureSet.encode(events, state, options);
  if (data.length !== n * d) throw new RangeError(`Feature set "${featureSet.name}" encoded ${data.length} values for ${n} events of ${d} features.`);
  // A feature set must never emit NaN/Infinity; enforce it so one bad value cannot poison a baseline.
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) data[i] = 0;
  return { data, n, d };
}
