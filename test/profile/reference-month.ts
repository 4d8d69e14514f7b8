/**
 * A small organisation's September (the baseline) and two October days, made by a seeded
 * generator kept here so that the input of encoder-reference.test.ts never changes: office and
 * home addresses, a phone on a carrier's pool, an IPv6 user, `nobody`'s failed logins from
 * anywhere, failed-then-succeeded logins, bursts of downloads, an account with too little
 * history, machine credentials without an account, masked and missing addresses.
 */
import { createHash } from "node:crypto";
import { loadConfig } from "../../src/sources/config.ts";
import { fitBaseline } from "../../src/detect/model.ts";
import { scoreVectors } from "../../src/detect/score.ts";
import { encodeEvents } from "../../src/encode/encode-events.ts";
import type { EncodableEvent, FeatureSet } from "../../src/encode/feature-set.ts";
import { featureSets } from "../../src/encode/registry.ts";
import { DESKTOP_AGENT, IPHONE_AGENT } from "../helpers/user-agents.ts";
import { random } from "../report/fixtures.ts";

const ACTIONS = ["Record view", "Record view", "Record view", "Record edit", "Record add", "Record file download", "App operation", "Record delete"];

/** Events of the days `from` .. `to` (Tokyo, YYYY-MM-DD), in time order. */
export function referenceEvents(from: string, to: string, seed: number): EncodableEvent[] {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const out: EncodableEvent[] = [];
  const base = (account: string, when: number, extra: Partial<EncodableEvent>): EncodableEvent => ({
    source: "kintone", tenant: "ref", occurredAt: new Date(when), account, action: pick(ACTIONS), ip: "", ipParsed: null,
    appId: String(10 + Math.floor(rnd() * 6)), result: "SUCCESS", isLogin: false, isFailedLogin: false, isMobile: false, userAgent: DESKTOP_AGENT, ...extra,
  });
  const address = (ip: string) => ({ ip, ipParsed: ip.includes("x") || ip === "" ? null : ip });
  for (let t = Date.parse(`${from}T00:00:00+09:00`); t <= Date.parse(`${to}T00:00:00+09:00`); t += 86_400_000) {
    const weekday = new Date(t + 9 * 3_600_000).getUTCDay() % 6 !== 0;
    for (let p = 0; p < 8; p++) {
      if (!weekday && p !== 3) continue;
      const account = `user${p}@example.jp`;
      const office = `203.0.113.${10 + (p % 3)}`;
      const ip = p === 5 ? "2001:db8:a1::" + (1 + Math.floor(rnd() * 3)).toString(16) : rnd() < 0.85 ? office : `198.51.${100 + p}.${Math.floor(rnd() * 250)}`;
      const start = t + (8 + (p % 3)) * 3_600_000 + Math.floor(rnd() * 3_600_000);
      out.push(base(account, start, { action: "login", appId: null, isLogin: true, ...address(ip) }));
      const count = 3 + Math.floor(rnd() * 10);
      for (let k = 0; k < count; k++) out.push(base(account, start + Math.floor(rnd() * 9 * 3_600_000), address(ip)));
      if (p === 2 && rnd() < 0.3) {
        // A burst of downloads.
        const at = start + Math.floor(rnd() * 6 * 3_600_000);
        for (let k = 0; k < 2 + Math.floor(rnd() * 6); k++) out.push(base(account, at + k * 40_000, { action: "Record file download", ...address(office) }));
      }
    }
    // A phone on a carrier's pool.
    for (let k = 0; k < 3; k++) {
      out.push(base("mobile@example.jp", t + (7 + 5 * k) * 3_600_000 + Math.floor(rnd() * 1_800_000), { isMobile: true, userAgent: IPHONE_AGENT, ...address(`126.${200 + Math.floor(rnd() * 2)}.${Math.floor(rnd() * 250)}.${Math.floor(rnd() * 250)}`) }));
    }
    // nobody: failed logins from anywhere; one account that fails and then succeeds from home.
    for (let k = 0; k < 4; k++) {
      out.push(base("nobody", t + Math.floor(rnd() * 86_400_000), { action: "login", appId: null, result: "FAILED", isFailedLogin: true, ...address(`${45 + k}.${Math.floor(rnd() * 250)}.${Math.floor(rnd() * 250)}.${Math.floor(rnd() * 250)}`) }));
    }
    if (rnd() < 0.4) {
      const at = t + 20 * 3_600_000;
      for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) out.push(base("user1@example.jp", at + k * 60_000, { action: "login", appId: null, result: "FAILED", isFailedLogin: true, ...address("198.51.101.7") }));
      out.push(base("user1@example.jp", at + 240_000, { action: "login", appId: null, isLogin: true, ...address("198.51.101.7") }));
    }
    // Machine credentials (no account), a masked and a missing address, a rare visitor.
    out.push(base("", t + 3 * 3_600_000 + Math.floor(rnd() * 600_000), { action: "API operation", appId: "m2m-client", ...address("192.0.2.50") }));
    if (rnd() < 0.5) out.push(base("masked@example.jp", t + 12 * 3_600_000, address("xx.xxx.xxx.xx")));
    if (rnd() < 0.3) out.push(base("user4@example.jp", t + 13 * 3_600_000, { appId: null, ...address("") }));
    if (rnd() < 0.1) out.push(base("visitor@example.jp", t + 15 * 3_600_000, address("192.0.2.99")));
  }
  return out.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}

/** The baseline month and the scored days of the reference. */
export const referenceBaseline = () => referenceEvents("2026-09-01", "2026-09-30", 22);
export const referenceDays = (): EncodableEvent[][] => [referenceEvents("2026-10-05", "2026-10-05", 23), [...referenceEvents("2026-10-06", "2026-10-06", 24), ...unusual("2026-10-06")]];

/** One of each unusual thing on `day` (Tokyo): a burst, an unseen account, a new app, action, network, carrier block. */
function unusual(day: string): EncodableEvent[] {
  const t = Date.parse(`${day}T00:00:00+09:00`);
  const event = (account: string, hour: number, extra: Partial<EncodableEvent>): EncodableEvent => ({
    source: "kintone", tenant: "ref", occurredAt: new Date(t + hour * 3_600_000), account, action: "Record view", ip: "203.0.113.12", ipParsed: "203.0.113.12",
    appId: "12", result: "SUCCESS", isLogin: false, isFailedLogin: false, isMobile: false, userAgent: DESKTOP_AGENT, ...extra,
  });
  return [
    ...Array.from({ length: 12 }, (_, k) => event("user2@example.jp", 14 + k / 200, { action: "Record file download" })),
    event("stranger@example.jp", 3.5, { action: "login", appId: null, isLogin: true, ip: "45.9.8.7", ipParsed: "45.9.8.7" }),
    event("visitor@example.jp", 15.2, { ip: "192.0.2.99", ipParsed: "192.0.2.99" }),
    event("user0@example.jp", 10.5, { appId: "99" }),
    event("user3@example.jp", 11.5, { action: "export user", appId: null }),
    event("user5@example.jp", 12.5, { ip: "2001:db8:b2::9", ipParsed: "2001:db8:b2::9" }),
    event("mobile@example.jp", 22.5, { isMobile: true, userAgent: IPHONE_AGENT, ip: "126.201.3.4", ipParsed: "126.201.3.4" }),
    event("mobile@example.jp", 23.5, { isMobile: true, userAgent: IPHONE_AGENT, ip: "49.96.3.4", ipParsed: "49.96.3.4" }),
    event("", 4.5, { action: "API operation", appId: "other-client", ip: "192.0.2.51", ipParsed: "192.0.2.51" }),
  ];
}

/** What encoder-reference.json stores per feature set: everything as plain numbers. */
export interface ReferenceOutputs {
  /** sha256 of the saved state's JSON with sorted keys. */
  state: string;
  /** The encoded baseline (its own events, leave-one-out): mean and sample covariance, nonzero entries per column. */
  mean: number[];
  covariance: number[];
  nonzero: number[];
  /** Each scored day's vectors (row-major) and distances. */
  days: { vectors: number[]; distances: number[] }[];
}

function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(",")}]`;
  if (value && typeof value === "object") return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  return JSON.stringify(value);
}

/** Fit every registered feature set on the reference baseline and score the reference days, as a stored baseline does. */
export function referenceOutputs(): Record<string, ReferenceOutputs> {
  const config = loadConfig({ LOG_LEVEL: "silent", REPORT_TIMEZONE: "Asia/Tokyo" });
  const context = { timezone: "Asia/Tokyo", source: "kintone", tenant: "ref", month: "2026-09", config };
  const out: Record<string, ReferenceOutputs> = {};
  for (const set of featureSets as FeatureSet<unknown>[]) {
    const baseline = referenceBaseline();
    const state = set.fit(baseline, context);
    const encoded = encodeEvents(baseline, set, state, { baseline: true });
    const { model, moments } = fitBaseline(encoded.data, encoded.n, set.featureNames, set.modelOptions ?? {});
    const nonzero = set.featureNames.map((_, j) => {
      let count = 0;
      for (let i = 0; i < encoded.n; i++) if (encoded.data[i * encoded.d + j] !== 0) count++;
      return count;
    });
    out[set.name] = {
      state: createHash("sha256").update(sortedJson(set.save(state))).digest("hex"),
      mean: Array.from(moments.mean), covariance: Array.from(moments.covariance), nonzero,
      days: referenceDays().map((day) => {
        const { data, n } = encodeEvents(day, set, state);
        return { vectors: Array.from(data), distances: Array.from(scoreVectors(model, data, n)) };
      }),
    };
  }
  return out;
}
