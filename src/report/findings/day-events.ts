/**
 * The reported day's events of one source and tenant as findings see them: the listed event,
 * its flags under the current rules, its late-night kind, whether it is part of failed logins
 * then a success, and, when the scope has a baseline, its distance, percentile among last
 * month's, outlier flag and the feature set's reasons; with its source's catalogue entry and
 * words. Shared by the report (assemble-report.ts) and the evaluation (scripts/evaluate-detection.ts).
 */
import type { EventFlags } from "../../core/classification.ts";
import type { Config } from "../../core/config.ts";
import type { FindingReason, ReportEvent } from "../../core/report-model.ts";
import type { AuditEvent } from "../../core/types.ts";
import { formatInstant } from "../../core/calendar.ts";
import type { FeatureSet } from "../../encode/feature-set.ts";
import type { ZoneClock } from "../../encode/local-time.ts";
import type { DetectionModel } from "../../detect/model.ts";
import { contributions } from "../../detect/score.ts";
import { percentileOf, type DistanceSketch } from "../../detect/distance-percentile.ts";
import { sourceEntry } from "../../sources/registry.ts";
// Failed logins then a success from the same address within this time: the window profile's feature counts in.
import { addressKey, FAILURE_WINDOW_MS } from "../../encode/profile-window.ts";
import { lateNightKind, type SectionRules } from "../classify.ts";
import { isNovel, type DayEvent } from "./build-findings.ts";
import { freshReasons, isTelling, type SeenSoFar } from "./novelty.ts";

/**
 * Failures before a success that make it notable on their own: one or two are a mistyped
 * password, every day, for someone; a feature set that knows the account's habits (profile)
 * still makes fewer an outlier where they are unusual for it.
 */
export const MIN_FAILURES = 3;

/** The stored columns a day's event needs. */
export type DayRow = Pick<AuditEvent, "source" | "tenant" | "externalId" | "occurredAt" | "account" | "action" | "ip" | "ipParsed" | "appId" | "appName" | "level" | "result" | "raw" | "isExport" | "isCritical" | "isLogin" | "isFailedLogin">;

/** The event as the report lists it (`occurredAt` in the report zone, with its offset). */
export function toReportEvent(event: DayRow, timezone: string): ReportEvent {
  return {
    source: event.source,
    tenant: event.tenant,
    externalId: event.externalId,
    occurredAt: formatInstant(event.occurredAt, timezone),
    account: event.account,
    action: event.action,
    ip: event.ip,
    appId: event.appId,
    appName: event.appName,
    level: event.level,
    result: event.result,
  };
}

/** A scope's day scored against its baseline. */
export interface ScoredDay<S = unknown> {
  featureSet: FeatureSet<S>;
  state: S;
  /** Encoded rows (n × d) and their distances. */
  data: Float64Array;
  d: number;
  distances: Float64Array;
  threshold: number;
  /** The fitted detector (for the contributions of a feature set without reasons of its own). */
  model?: DetectionModel;
  /** The baseline month's own distances; absent: percentiles unknown. */
  sketch?: DistanceSketch;
  /** What the days of this month before the reported day showed (novelty.ts); absent: nothing. */
  seen?: SeenSoFar;
}

/** Indices of successful logins after at least MIN_FAILURES failed ones (same account and address, within FAILURE_WINDOW_MS) and of those failures. */
export function failedThenSucceeded(events: readonly { account: string; ip: string; occurredAt: Date }[], flags: readonly EventFlags[]): Set<number> {
  const marked = new Set<number>();
  const failures = new Map<string, number[]>();
  events.forEach((e, i) => {
    const key = `${e.account.toLowerCase()}\u0000${e.ip}`;
    const t = e.occurredAt.getTime();
    if (flags[i]!.isFailedLogin) {
      const list = failures.get(key) ?? [];
      list.push(i);
      failures.set(key, list);
    } else if (flags[i]!.isLogin) {
      const before = (failures.get(key) ?? []).filter((j) => t - events[j]!.occurredAt.getTime() <= FAILURE_WINDOW_MS && t >= events[j]!.occurredAt.getTime());
      if (before.length >= MIN_FAILURES) {
        marked.add(i);
        for (const j of before) marked.add(j);
      }
      failures.delete(key);
    }
  });
  return marked;
}

/** The day's events (oldest first) as DayEvents. */
export function dayEventsOf(events: readonly DayRow[], scored: ScoredDay | null, config: Config, rules: SectionRules, clock: ZoneClock): DayEvent[] {
  const timezone = config.reportTimezone;
  const flags = events.map((e) => rules.flagsOf(e));
  const fts = failedThenSucceeded(events, flags);
  return events.map((event, i) => {
    const source = sourceEntry(event.source);
    const distance = scored ? scored.distances[i]! : null;
    const percentile = distance !== null && scored?.sketch ? percentileOf(scored.sketch, distance) : null;
    const late = lateNightKind(flags[i]!, event.occurredAt, rules, clock);
    const catalogue = source?.severityOf?.(event, config) ?? null;
    const above = scored !== null && distance !== null && distance > scored.threshold;
    // Reasons are read only for an event above the threshold (is it an outlier?) or notable
    // otherwise (what its finding says); the rest of a day of 250,000 events needs none.
    const mayMatter = above || flags[i]!.isCritical || flags[i]!.isExport || late !== null || fts.has(i) || (catalogue !== null && catalogue.severity !== "low");
    let reasons: FindingReason[] = [];
    if (mayMatter && scored?.featureSet.reasons) {
      const own = scored.featureSet.reasons(event, scored.state, scored.data, i * scored.d);
      reasons = scored.seen ? freshReasons({ ...event, address: addressKey(event) }, own, scored.seen) : own;
    }
    // Listed as an outlier when above the threshold and, for a month whose threshold was lowered to
    // rest on enough observed events (MIN_TAIL_EVENTS), also among its rarest TARGET_FPR or new in
    // a way that matters (isNovel): a finding is what a person reads, and a small month's tail
    // would otherwise fill the day with after-hours logouts. A feature set that gives reasons must
    // give one that still tells (novelty.ts: not new since an earlier day of the month, not only
    // later than the account's usual but within the organisation's hours).
    const rare = () => percentile === null || percentile >= 1 - config.targetFpr || isNovel({ reasons, flags: flags[i]! });
    const tells = () => {
      const kind = { isLogin: flags[i]!.isLogin, upkeep: source?.isSessionUpkeep?.(event) ?? false };
      return reasons.some((r) => isTelling(r, kind));
    };
    const outlier = above && (config.anomalyLength !== undefined || (rare() && (!scored.featureSet.reasons || tells())));
    if (!scored?.featureSet.reasons && outlier && scored?.model) {
      // A feature set without reasons of its own (classic): the feature that weighs most in the distance.
      const top = contributions(scored.model, scored.data, i * scored.d)[0];
      if (top) reasons = [{ code: "feature", text: `mostly its ${top.feature} (${Math.round(top.share * 100)}% of the distance)`, params: { feature: top.feature, share: Math.round(top.share * 100) } }];
    }
    return {
      listed: toReportEvent(event, timezone),
      occurredAt: event.occurredAt,
      hour: clock.hour(event.occurredAt.getTime()),
      flags: flags[i]!,
      late,
      failedThenSucceeded: fts.has(i),
      outlier,
      distance,
      percentile,
      reasons,
      catalogue,
      description: source?.describe?.(event) ?? null,
      hasCatalogue: source?.severityOf !== undefined,
    };
  });
}
