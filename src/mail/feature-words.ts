/**
 * Feature names (as the detection stage reports them in `contributions`) in words. Names are
 * matched loosely (case and punctuation ignored) so that `time_of_day`, `timeOfDay` and
 * `hhmmss` read the same; an unknown name is shown split into words rather than hidden.
 */
import type { FeatureWord, Labels } from "./labels.ts";

const PATTERNS: [RegExp, FeatureWord][] = [
  [/^(hourdeviation|hourdev|circularhour|usualhour|hourfromusual|timedeviation)/, "hourDeviation"],
  [/^(hoursin|hourcos|timesin|timecos|sin|cos|cyclic)/, "hourCyclic"],
  [/^(time|timeofday|hhmmss|hour|clock)$/, "timeOfDay"],
  [/^(actionrarityaccount|accountactionrarity|actionrarityforaccount|actionfreqaccount|accountactionfreq)/, "actionRarityAccount"],
  [/^(actionrarity|actionfreq|actionrarityall|actionrarityoverall|globalactionrarity)/, "actionRarity"],
  [/^(newip|ipnew|unseenip)/, "newIp"],
  [/^(newsubnet|newnet|new24|newip24|subnetnew|unseensubnet)/, "newSubnet"],
  [/^(newapp|appnew|unseenapp)/, "newApp"],
  [/^(apprarity|appfreq|apprarityaccount)/, "appRarity"],
  [/^(newaction|unseenaction)/, "newAction"],
  [/^(account|accountcrc|user|username|accounthash)$/, "account"],
  [/^(action|actioncrc|type|actionhash)$/, "action"],
  [/^(ip|ipv4|ipaddress|ipint|address)$/, "ip"],
  [/^(app|appid|application|client|clientid|appcrc)$/, "app"],
];

/** The words for one feature name in the report's language. */
export function featureInWords(name: string, labels: Labels): string {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  for (const [pattern, word] of PATTERNS) {
    if (pattern.test(key)) return labels.features[word];
  }
  // Unknown: "someNewThing" / "some_new_thing" -> "some new thing".
  return name.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ").toLowerCase().trim() || name;
}
