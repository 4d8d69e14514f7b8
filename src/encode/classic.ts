/**
 * The classic feature set, exactly as the original tool (DESIGN.md, "Encode"):
 * 1. time of day in the report zone as HHMMSS; 2. unsigned CRC-32 of the account (UTF-8);
 * 3. unsigned CRC-32 of the action; 4. IPv4 as an unsigned integer (IPv4-mapped IPv6
 * converted, anything else 0); 5. the console's numeric app id (0 when absent), or for Auth0
 * the unsigned CRC-32 of client_id ("" when null). Its only state is the time zone.
 */
import type { JsonValue } from "../core/types.ts";
import { unsignedCrc32 } from "./crc32.ts";
import type { EncodableEvent, FeatureSet, FitContext } from "./feature-set.ts";
import { ipv4ToUint } from "./ipv4.ts";
import { ZoneClock } from "./local-time.ts";

export interface ClassicState {
  clock: ZoneClock;
  /** Memo of CRC-32 values by text (accounts and actions repeat all month). */
  crc: Map<string, number>;
  /** Memo of address values by text, −1 for "no IPv4". */
  ipv4: Map<string, number>;
  /** Memo of console app ids by text. */
  appIds: Map<string, number>;
}

const MEMO_LIMIT = 100_000;

function crcOf(state: ClassicState, text: string): number {
  let value = state.crc.get(text);
  if (value === undefined) {
    value = unsignedCrc32(text);
    if (state.crc.size >= MEMO_LIMIT) state.crc.clear();
    state.crc.set(text, value);
  }
  return value;
}

function ipv4Of(state: ClassicState, text: string): number {
  let value = state.ipv4.get(text);
  if (value === undefined) {
    value = ipv4ToUint(text) ?? -1;
    if (state.ipv4.size >= MEMO_LIMIT) state.ipv4.clear();
    state.ipv4.set(text, value);
  }
  return value;
}

function appIdOf(state: ClassicState, appId: string | null): number {
  if (appId === null) return 0;
  let value = state.appIds.get(appId);
  if (value === undefined) {
    value = classicAppId("kintone", appId);
    if (state.appIds.size >= MEMO_LIMIT) state.appIds.clear();
    state.appIds.set(appId, value);
  }
  return value;
}

/** Same as eventIpv4 (the canonical form first, then the raw text), memoised. */
function addressOf(state: ClassicState, ipParsed: string | null, ip: string): number {
  const first = ipParsed === null ? -1 : ipv4Of(state, ipParsed);
  if (first >= 0) return first;
  const second = ipv4Of(state, ip);
  return second >= 0 ? second : 0;
}

const newState = (timezone: string): ClassicState => ({ clock: new ZoneClock(timezone), crc: new Map(), ipv4: new Map(), appIds: new Map() });

/** Default ANOMALY_LENGTH of the classic set (the original author found about 10 worked). */
export const CLASSIC_DEFAULT_THRESHOLD = 10;

const DIGITS = /^\s*\d+\s*$/;

/** The app-id component: numeric console app id, CRC-32 of the Auth0 client id. */
export function classicAppId(source: string, appId: string | null): number {
  if (source === "auth0") return unsignedCrc32(appId ?? "");
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
  encode(event: EncodableEvent, state: ClassicState, out: Float64Array, offset: number): void {
    out[offset] = state.clock.hhmmss(event.occurredAt.getTime());
    out[offset + 1] = crcOf(state, event.account);
    out[offset + 2] = crcOf(state, event.action);
    out[offset + 3] = addressOf(state, event.ipParsed, event.ip);
    out[offset + 4] = event.source === "auth0" ? crcOf(state, event.appId ?? "") : appIdOf(state, event.appId);
  },
  saveState(state: ClassicState): JsonValue {
    return { timezone: state.clock.zone };
  },
  loadState(_json: JsonValue, context: FitContext): ClassicState {
    return newState(context.timezone);
  },
  defaultThreshold(): number {
    return CLASSIC_DEFAULT_THRESHOLD;
  },
};
