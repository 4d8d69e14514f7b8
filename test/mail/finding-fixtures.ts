/**
 * Report models with findings (issue 23) for the mail tests: a day like the demo's (an MFA
 * removal, security-setting changes, bulk downloads, many low findings and long lists), and
 * hostile or very long log strings inside findings.
 */
import type { Finding, FindingEvent, FindingReason, ReportEvent, ReportModel, Severity } from "../../src/core/report-model.ts";
import { HOSTILE_ACCOUNT, HOSTILE_APP, busyModel } from "./fixtures.ts";

/** An account name of 200 characters without a break, and a long URL-like path: they must wrap. */
export const LONG_ACCOUNT = `temp-contractor-${"x".repeat(184)}`;
export const LONG_PATH = `/api/v2/users/${"auth0|".repeat(20)}abcdef0123456789/authentication-methods/${"y".repeat(60)}`;

const at = (hh: number, mm: number, ss = 0) => `2026-10-05T${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}:${String(ss).padStart(2, "0")}+09:00`;

function findingEvent(over: Partial<FindingEvent> & { occurredAt: string; account: string; action: string }): FindingEvent {
  return {
    source: "kintone", tenant: "example.cybozu.com", externalId: `ext-${over.account}-${over.occurredAt}-${over.action}`,
    ip: "203.0.113.10", appId: null, appName: null, level: "Notice", result: "SUCCESS", flags: ["critical"], ...over,
  };
}

const reason = (code: string, text: string, params: FindingReason["params"] = {}): FindingReason => ({ code, text, params });

interface FindingSpec {
  id: string;
  severity: Severity;
  kind: Finding["kind"];
  account: string;
  source?: string;
  events: FindingEvent[];
  reasons: FindingReason[];
  addresses?: Finding["addresses"];
  apps?: Finding["apps"];
  percentile?: number;
  expected?: Finding["expected"];
  routine?: Finding["routine"];
}

/** A finding whose counts, span and English words follow from its events and reasons. */
export function finding(spec: FindingSpec): Finding {
  const events = [...spec.events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  const byAction = new Map<string, { label?: string; count: number }>();
  for (const e of events) {
    const entry = byAction.get(e.action) ?? { ...(e.description ? { label: e.description } : {}), count: 0 };
    entry.count++;
    byAction.set(e.action, entry);
  }
  const source = spec.source ?? events[0]!.source;
  return {
    id: spec.id,
    severity: spec.severity,
    kind: spec.kind,
    source,
    tenant: events[0]!.tenant,
    account: spec.account,
    accounts: [{ source, tenant: events[0]!.tenant, account: spec.account }],
    from: events[0]!.occurredAt,
    to: events[events.length - 1]!.occurredAt,
    summary: `${spec.account}: ${spec.reasons[0]?.text ?? spec.kind}`,
    reasons: spec.reasons.map((r) => r.text),
    reasonDetails: spec.reasons,
    eventCount: events.length,
    actions: [...byAction].map(([key, v]) => ({ key, ...v })),
    apps: spec.apps ?? [],
    addresses: spec.addresses ?? [{ key: events[0]!.ip, count: events.length, new: false }],
    ...(spec.routine ? { routine: spec.routine } : {}),
    ...(spec.percentile !== undefined ? { percentile: spec.percentile } : {}),
    ...(spec.expected ? { expected: spec.expected } : {}),
    events,
  };
}

/** The busy day with findings: an MFA removal, a security-setting change, a bulk download with hostile strings, an outlier, routine and expected ones. */
export function findingsModel(): ReportModel {
  const model = busyModel();
  const downloads = Array.from({ length: 40 }, (_, i) => findingEvent({
    occurredAt: at(14, i, 7), account: "temp-contractor4", action: "Record file download", appId: "7", appName: HOSTILE_APP,
    ip: "45.77.12.34", level: "Information", flags: ["export", "outlier"], percentile: 0.9997, distance: 3394.94,
  }));
  model.findings = [
    finding({
      id: "2026-10-05-auth0-a1b2c3", severity: "high", kind: "critical", account: "alice@example.com", source: "auth0",
      events: [findingEvent({ source: "auth0", tenant: "acme.eu.auth0.com", occurredAt: at(11, 2), account: "alice@example.com", action: "gd_unenroll", description: "MFA enrollment removed", ip: "198.51.100.7", level: null, result: null })],
      reasons: [reason("catalogue", "MFA enrollment removed", { label: "MFA enrollment removed", labelJa: "多要素認証の登録を削除", count: 1 }), reason("new-address", "first time from 198.51.100.7 for this account", { ip: "198.51.100.7", nobody: false })],
      addresses: [{ key: "198.51.100.7", count: 1, new: true }],
    }),
    finding({
      id: "2026-10-05-kintone-d4e5f6", severity: "high", kind: "export", account: "temp-contractor4",
      events: downloads,
      reasons: [reason("export", `exported 40 files from ${HOSTILE_APP}`, { count: 40, app: HOSTILE_APP }), reason("new-address", "first time from 45.77.12.34 for this account", { ip: "45.77.12.34", nobody: true, month: "2026-09" }), reason("rarity", "rarer than 99.97% of last month", { percent: "99.97" })],
      addresses: [{ key: "45.77.12.34", count: 40, new: true }, { key: "203.0.113.10", count: 0, new: false }],
      apps: [{ key: "7", label: HOSTILE_APP, count: 40 }],
      percentile: 0.9997,
    }),
    finding({
      id: "2026-10-05-kintone-0a0b0c", severity: "medium", kind: "critical", account: HOSTILE_ACCOUNT,
      events: [findingEvent({ occurredAt: at(9, 1), account: HOSTILE_ACCOUNT, action: "configure security setting" })],
      reasons: [reason("catalogue", "security settings changed", { label: "security settings changed", labelJa: "セキュリティ設定の変更", count: 1 })],
    }),
    finding({
      id: "2026-10-05-kintone-late01", severity: "medium", kind: "late-night", account: "carol",
      events: [findingEvent({ occurredAt: at(3, 12, 45), account: "carol", action: "login", ip: "192.0.2.44", flags: ["late-night", "outlier"], percentile: 1 })],
      reasons: [reason("late-night", "login at 03:12, inside the late-night window 02:00-05:00", { time: "03:12", window: "02:00-05:00" }), reason("rarity", "rarer than anything last month", {})],
      percentile: 1,
    }),
    finding({
      id: "2026-10-05-kintone-rout01", severity: "low", kind: "routine", account: "admin",
      events: [findingEvent({ occurredAt: at(9, 30), account: "admin", action: "delete records" })],
      reasons: [reason("catalogue", "records deleted", { label: "records deleted", labelJa: "レコードの削除", count: 1 }), reason("routine", "routine: 4 times last month", { days: 4, month: "2026-09" })],
      routine: { days: 4, month: "2026-09" },
    }),
    finding({
      id: "2026-10-05-kintone-exp001", severity: "high", kind: "export", account: "backup-bot",
      events: [findingEvent({ occurredAt: at(1, 0), account: "backup-bot", action: "export user", flags: ["export"] })],
      reasons: [reason("export", "exported 1 file", { count: 1 })],
      expected: { by: "allow-list", rule: "account=backup-bot action=export user" },
    }),
  ];
  model.suppression = {
    allowListed: 1, acknowledged: 0, rules: [{ rule: "account=backup-bot action=export user", findings: 1 }],
    recentAcks: [{ findingId: "2026-10-04-kintone-zzz", reason: "quarterly audit export", at: "2026-10-05T01:00:00Z" }],
  };
  return model;
}

/**
 * A day like the demo's: 4 high and 6 medium findings (one with 40 events), 30 low ones,
 * 50 exports, 90 critical events and late-night logins in the lists.
 */
export function demoDayModel(): ReportModel {
  const model = findingsModel();
  const high = model.findings!.filter((f) => f.severity === "high" && !f.expected);
  const more: Finding[] = [];
  for (let i = 0; i < 2; i++) {
    more.push(finding({
      id: `2026-10-05-auth0-sec${i}`, severity: "high", kind: "critical", account: `admin${i}@example.com`, source: "auth0",
      events: Array.from({ length: 3 }, (_, j) => findingEvent({ source: "auth0", tenant: "acme.eu.auth0.com", occurredAt: at(10 + i, j * 5), account: `admin${i}@example.com`, action: "sapi", description: "PATCH /api/v2/attack-protection/brute-force-protection", level: null, result: null })),
      reasons: [reason("catalogue", "attack protection changed", { label: "attack protection changed", labelJa: "攻撃防御の設定変更", count: 3 })],
    }));
  }
  for (let i = 0; i < 4; i++) {
    more.push(finding({
      id: `2026-10-05-kintone-med${i}`, severity: "medium", kind: "outlier", account: `user${i}`,
      events: Array.from({ length: 5 }, (_, j) => findingEvent({ occurredAt: at(19, j * 7), account: `user${i}`, action: "view record", flags: ["outlier"], percentile: 0.995 })),
      reasons: [reason("unusual-hour", "19:00 is 3 hours after this account's usual last activity (16:00)", { time: "19:00", usual: "16:00", after: true, hours: 3 }), reason("rarity", "rarer than 99.5% of last month", { percent: "99.5" })],
      percentile: 0.995,
    }));
  }
  for (let i = 0; i < 30; i++) {
    more.push(finding({
      id: `2026-10-05-kintone-low${String(i).padStart(2, "0")}`, severity: "low", kind: "routine", account: `clerk${i}`,
      events: [findingEvent({ occurredAt: at(9 + (i % 8), i), account: `clerk${i}`, action: "delete records" })],
      reasons: [reason("catalogue", "records deleted", { label: "records deleted", labelJa: "レコードの削除", count: 1 }), reason("routine", "routine: 6 times last month", { days: 6, month: "2026-09" })],
      routine: { days: 6, month: "2026-09" },
    }));
  }
  const rest = model.findings!.filter((f) => !high.includes(f));
  model.findings = [...high, ...more.filter((f) => f.severity === "high"), ...rest.filter((f) => f.severity === "medium"), ...more.filter((f) => f.severity === "medium"), ...rest.filter((f) => f.severity === "low"), ...more.filter((f) => f.severity === "low"), ...rest.filter((f) => f.expected)];
  const events = (n: number, action: string): ReportEvent[] => Array.from({ length: n }, (_, i) => ({
    source: "kintone", tenant: "example.cybozu.com", externalId: `${action}-${i}`, occurredAt: at(8 + (i % 12), i % 60),
    account: `user${i}@example.com`, action, ip: `203.0.113.${i % 250}`, appId: String(i), appName: `アプリ ${i}`, level: "Notice", result: "SUCCESS",
  }));
  const section = <T>(items: T[]) => ({ total: items.length, items, omitted: 0 });
  model.sections.exports = section(events(50, "Record file download"));
  model.sections.critical = section(events(90, "configure security setting"));
  model.sections.lateNight = { ...section(events(3, "login")), failed: section(events(2, "login")) };
  return model;
}
