/**
 * Report models built by hand for the mail tests: a realistic day with every section filled,
 * hostile strings from "logs" (markup, quotes, control and direction characters), and an
 * empty day without a baseline.
 */
import type { OutlierEvent, ReportEvent, ReportModel, Section } from "../../src/core/report-model.ts";

export const HOSTILE_APP = `<script>alert("pwn")</script>`;
export const HOSTILE_ACCOUNT = `mallory" onmouseover="alert(1)' <b>bold</b>`;
export const FORGED_LINE = "eve\n== Summary ==\nAll clear";

function event(over: Partial<ReportEvent> & { occurredAt: string; account: string; action: string }): ReportEvent {
  return {
    source: "kintone",
    tenant: "example.cybozu.com",
    externalId: `ext-${over.account}-${over.occurredAt}`,
    ip: "203.0.113.10",
    appId: null,
    appName: null,
    level: "Information",
    result: "SUCCESS",
    ...over,
  };
}

function section<T>(items: T[], total = items.length): Section<T> {
  return { total, items, omitted: total - items.length };
}

/** A day with two exports, three critical events, a late-night login, a failed one and four outliers. */
export function busyModel(): ReportModel {
  const exports = [
    event({ occurredAt: "2026-10-05T10:15:02+09:00", account: "alice@example.com", action: "export user", appId: "12", appName: "顧客管理" }),
    event({ occurredAt: "2026-10-05T16:40:55+09:00", account: "bob", action: "Record file download", appId: "7", appName: HOSTILE_APP }),
  ];
  const critical = [
    event({ occurredAt: "2026-10-05T09:01:00+09:00", account: "admin", action: "configure security setting", level: "Notice" }),
    event({ source: "auth0", tenant: "acme.eu.auth0.com", occurredAt: "2026-10-05T11:30:00+09:00", account: HOSTILE_ACCOUNT, action: "pwd_leak", ip: "198.51.100.7", appId: "AbCdEf123", appName: "Acme Portal", level: null, result: "failure" }),
    event({ source: "auth0", tenant: "acme.eu.auth0.com", occurredAt: "2026-10-05T23:59:59+09:00", account: FORGED_LINE, action: "sapi", ip: "2001:db8::1", level: null }),
  ];
  const lateNight = [event({ occurredAt: "2026-10-05T03:12:45+09:00", account: "carol", action: "login", ip: "192.0.2.44" })];
  const failed = [event({ occurredAt: "2026-10-05T02:05:00+09:00", account: "dave", action: "login", result: "FAILED", ip: "xx.xxx.xxx.xx" })];
  const outlier = (o: Partial<OutlierEvent> & { occurredAt: string; account: string; action: string; distance: number }): OutlierEvent => ({
    ...event(o),
    distance: o.distance,
    featureSet: "classic",
    contributions: o.contributions ?? [
      { feature: "time", share: 0.71 },
      { feature: "ip", share: 0.2 },
      { feature: "action", share: 0.06 },
      { feature: "account", share: 0.03 },
    ],
    ...(o.explanations ? { explanations: o.explanations } : {}),
    ...(o.accountProfile !== undefined ? { accountProfile: o.accountProfile } : {}),
  });
  const outliers = [
    outlier({ occurredAt: "2026-10-05T03:12:45+09:00", account: "carol", action: "login", ip: "192.0.2.44", distance: 23.456,
      explanations: ["carol usually works 09:00–18:00; this was at 03:12.", "192.0.2.44 is new for carol."],
      accountProfile: { usualHours: [9, 10, 11, 12, 13, 14, 15, 16, 17], knownIps: ["203.0.113.10", "203.0.113.11"], events: 412, activeDays: 21 } }),
    outlier({ occurredAt: "2026-10-05T16:40:55+09:00", account: "bob", action: "Record file download", appId: "7", appName: HOSTILE_APP, distance: 15.2 }),
    outlier({ occurredAt: "2026-10-05T11:30:00+09:00", account: HOSTILE_ACCOUNT, action: "pwd_leak", distance: 12.04, contributions: [{ feature: "hourDeviation", share: 0.5 }, { feature: "newIp", share: 0.4 }] }),
    outlier({ occurredAt: "2026-10-05T10:15:02+09:00", account: "alice@example.com", action: "export user", distance: 10.5, accountProfile: null }),
  ];
  const histogram = Array.from({ length: 24 }, (_, hour) => ({
    hour,
    day: hour >= 9 && hour <= 18 ? 20 + ((hour * 7) % 13) : hour === 3 || hour === 2 ? 1 : 0,
    baselineAverage: hour >= 9 && hour <= 18 ? 18.5 + (hour % 3) : 0.2,
  }));
  const totalDay = histogram.reduce((s, b) => s + b.day, 0);
  return {
    day: "2026-10-05",
    timezone: "Asia/Tokyo",
    generatedAt: "2026-10-05T22:00:03.000Z",
    sources: [
      { source: "kintone", tenant: "example.cybozu.com", collected: 250, stored: 246, duplicates: 3, rejected: 1, errors: [], cursorAgeHours: 24.2, eventsThatDay: totalDay - 40, unparsableIps: 1 },
      { source: "auth0", tenant: "acme.eu.auth0.com", collected: 41, stored: 40, duplicates: 1, rejected: 0, errors: [], cursorAgeHours: 26.5, eventsThatDay: 40, warnings: ["Gap of 6 days since the last pull exceeds AUTH0_RETENTION_DAYS=5: logs may be lost."] },
    ],
    baselines: [
      { source: "kintone", tenant: "example.cybozu.com", month: "2026-09", n: 5210, featureSet: "classic", droppedFeatures: ["appId"], available: true, threshold: 10 },
      { source: "auth0", tenant: "acme.eu.auth0.com", month: "2026-09", n: 1220, featureSet: "classic", droppedFeatures: [], available: true, threshold: 10 },
    ],
    alarms: [],
    sections: {
      exports: section(exports),
      critical: section(critical),
      lateNight: { ...section(lateNight), failed: section(failed) },
      outliers: section(outliers),
    },
    histogram,
    settings: { anomalyLength: 10, featureSet: "classic", lateNightWindow: "02:00-05:00" },
    totalEvents: totalDay,
    notices: [],
  };
}

/** A first day: nothing happened worth listing, no baseline yet, one source failed. */
export function emptyModel(): ReportModel {
  return {
    day: "2026-10-06",
    timezone: "UTC",
    generatedAt: "2026-10-07T07:00:00.000Z",
    sources: [
      { source: "kintone", tenant: "example.cybozu.com", collected: 0, stored: 0, duplicates: 0, rejected: 0, errors: ["login failed at step \"submit\": CB_IL02"], cursorAgeHours: null, eventsThatDay: 0 },
    ],
    baselines: [
      { source: "kintone", tenant: "example.cybozu.com", month: "2026-09", n: 12, featureSet: "classic", droppedFeatures: [], available: false },
    ],
    alarms: [
      {
        kind: "source-failed", source: "kintone", tenant: "example.cybozu.com", fix: "kansa collect --source kintone --from 2026-10-06 --to 2026-10-06",
        detail: "login failed at step \"submit\": CB_IL02",
        message: "Collecting kintone example.cybozu.com failed, so 2026-10-06 may be incomplete: login failed at step \"submit\": CB_IL02",
      },
      {
        kind: "baseline-missing", source: "kintone", tenant: "example.cybozu.com", month: "2026-09", observed: 12, minimum: 100, fix: "kansa backfill --month 2026-09",
        message: "No baseline for kintone example.cybozu.com: 2026-09 has 12 stored event(s), fewer than MIN_BASELINE_EVENTS (100), so no event of 2026-10-06 was scored. Run `kansa backfill --month 2026-09`.",
      },
    ],
    sections: {
      exports: section([]),
      critical: section([]),
      lateNight: section([]),
      outliers: section([]),
    },
    histogram: Array.from({ length: 24 }, (_, hour) => ({ hour, day: 0, baselineAverage: 0 })),
    settings: { anomalyLength: 10, featureSet: "classic", lateNightWindow: "02:00-05:00" },
    totalEvents: 0,
  };
}

/** A long section: `total` exports of which only `shown` are listed. */
export function cappedModel(total: number, shown: number): ReportModel {
  const model = busyModel();
  const items = Array.from({ length: shown }, (_, i) =>
    event({ occurredAt: `2026-10-05T12:${String(i % 60).padStart(2, "0")}:00+09:00`, account: `user${i}`, action: "export user" }));
  model.sections.exports = { total, items, omitted: total - shown };
  return model;
}

/** Every section at `limit` entries (a third of each total), long outliers: the largest mail. */
export function fullModel(limit = 50): ReportModel {
  const model = busyModel();
  const events = (kind: string): ReportEvent[] =>
    Array.from({ length: limit }, (_, i) => ({
      source: "kintone", tenant: "example.cybozu.com", externalId: `${kind}-${i}`,
      occurredAt: `2026-10-05T${String(i % 24).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:00+09:00`,
      account: `user${i}@example.com`, action: kind === "exports" ? "export user" : "configure security setting",
      ip: `203.0.113.${i}`, appId: String(i), appName: `アプリ ${i}`, level: "Notice", result: "SUCCESS",
    }));
  const section = <T>(items: T[]) => ({ total: items.length * 3, items, omitted: items.length * 2 });
  const outliers: OutlierEvent[] = events("outliers").map((e, i) => ({
    ...e, distance: 50 - i * 0.5, featureSet: "classic",
    contributions: [{ feature: "time", share: 0.6 }, { feature: "ip", share: 0.3 }, { feature: "account", share: 0.1 }],
    explanations: ["The hour is unusual for this account."],
    accountProfile: { usualHours: [9, 10, 11, 12, 13, 14, 15, 16, 17], knownIps: ["203.0.113.10"], events: 300, activeDays: 20 },
  }));
  model.sections = {
    exports: section(events("exports")),
    critical: section(events("critical")),
    lateNight: { ...section(events("lateNight")), failed: section(events("failed")) },
    outliers: section(outliers),
  };
  return model;
}
