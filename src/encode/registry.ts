/**
 * The feature sets kansa knows, by name. Adding one is one file in this folder and one line
 * here; `classic` stays available and unchanged.
 */
import { InputError } from "../core/errors.ts";
import { classicFeatureSet } from "./classic.ts";
import type { FeatureSet } from "./feature-set.ts";
import { profileFeatureSet } from "./profile.ts";

export const featureSets: ReadonlyArray<FeatureSet<any>> = [
  classicFeatureSet,
  profileFeatureSet,
];

/** The feature set called `name`; an InputError naming the known ones when there is none. */
export function getFeatureSet(name: string): FeatureSet<unknown> {
  const found = featureSets.find((set) => set.name === name);
  if (!found) {
    throw new InputError(`Unknown feature set "${name}": choose one of ${featureSets.map((s) => s.name).join(", ")}.`, {
      details: { featureSet: name },
    });
  }
  return found as FeatureSet<unknown>;
}
