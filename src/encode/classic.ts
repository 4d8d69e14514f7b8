/**
 * The classic feature set, exactly as the original tool (DESIGN.md, "Encode"):
 * 1. time of day in the report zone as HHMMSS; 2. unsigned CRC-32 of the account (UTF-8);
 * 3. unsigned CRC-32 of the action; 4. IPv4 as an unsigned integer (IPv4-mapped IPv6
 * converted, anything else 0); 5. the app id: as a number where the source's app ids are numbers
 * (0 when absent), the unsigned CRC-32 of the id where they are text ("" when null), as the
 * source declares (`appIdKind`). Its only state is the time zone.
 */
import type { JsonValue } from "../core/types.ts";
import { unsignedCrc32 } from "./crc32.ts";
import type { EncodableEvent, FeatureSet, FitContext } from "./feature-set.ts";
import { eventIpv4 } from "../core/ip-address.ts";
import { ZoneClock } from "./local-time.ts";
import { sourceEntry } from "../sources/registry.ts";

export interface ClassicState {
  clock: ZoneClock;
}

const newState = (timezone: string): ClassicState => ({ clock: new ZoneClock(timezone) });

/** Default ANOMALY_LENGTH of the classic set (the original author found about 10 worked). */
export const CLASSIC_DEFAULT_THRESHOLD = 10;

const DIGITS = /^\s*\d+\s*$/;

/** The app-id component: the id as a number, or its CRC-32 for a source whose app ids are text. */
export function classicAppId(source: string, appId: string | null): number {
  if (sourceEntry(source)?.appIdKind === "text") return unsignedCrc32(appId ?? "");
  if (appId === null || !DIGITS.test(appId)) return 0;
  const value = Number(appId);
  return Number.isFinite(value) ? value : 0;
}

export const classicFeatureSet: FeatureSet<ClassicState> = {
  name: "classic",
  description: "The original tool's vector: HHMMSS, CRC-32 of account and action, IPv4 as an integer, app id.",
  columns: ["account", "action", "ip", "ipParsed", "appId"],
  featureNames: ["time", "account", "action", "ip", "app"],
  fit(_events: readonly EncodableEvent[], context: FitContext): ClassicState {
    return newState(context.timezone);
  },
  // The state is the zone alone: fitting reads no event.
  fitter: (context: FitContext) => ({ finish: () => newState(context.timezone) }),
  neighbourMs: 0,
  encode(events: readonly EncodableEvent[], state: ClassicState): Float64Array {
    const out = new Float64Array(events.length * 5);
    events.forEach((event, i) => {
      const o = i * 5;
      out[o] = state.clock.hhmmss(event.occurredAt.getTime());
      out[o + 1] = unsignedCrc32(event.account);
      out[o + 2] = unsignedCrc32(event.action);
      out[o + 3] = eventIpv4(event.ipParsed, event.ip) ?? 0;
      out[o + 4] = classicAppId(event.source, event.appId);
    });
    return out;
  },
  save(state: ClassicState): JsonValue {
    return { timezone: state.clock.zone };
  },
  load(_json: JsonValue, context: FitContext): ClassicState {
    return newState(context.timezone);
  },
  defaultThreshold(): number {
    return CLASSIC_DEFAULT_THRESHOLD;
  },
};
