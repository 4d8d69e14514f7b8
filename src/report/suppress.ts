/**
 * Turning findings into "expected": a finding is acknowledged when `kansa ack` named its id or
 * acknowledged every one of its events (the same source, tenant and externalId), and
 * allow-listed when one rule of KANSA_ALLOW_LIST matches every one of its events (see
 * src/core/allow-list.ts for what a rule's fields match). An acknowledgement is checked first:
 * it is the more specific decision. Expected findings stay in the list with `expected` set (the
 * JSON lists everything; the mail counts them in its footer), and the summary says how many each
 * way, which rules matched and the latest acknowledgements. Pure.
 */
import { addressInNetwork, allowRuleText, parseNetwork, type AllowRule } from "../core/allow-list.ts";
import type { Finding, FindingEvent, FindingExpected, SuppressionSummary } from "../core/report-model.ts";
import type { Acknowledgement, EventKey } from "../store/acknowledgements.ts";

/** How many acknowledgements the summary lists for the footer. */
export const RECENT_ACKS = 5;

/** What suppression reads of an acknowledgement. */
export type AcknowledgementLike = Pick<Acknowledgement, "findingId" | "reason" | "createdAt" | "events">;

type EventMatcher = (event: FindingEvent) => boolean;

/** A test of one event against `rule`: every field the rule gives must match. */
function ruleMatcher(rule: AllowRule): EventMatcher {
  const tests: EventMatcher[] = [];
  if (rule.source !== undefined) tests.push((e) => e.source === rule.source);
  if (rule.tenant !== undefined) tests.push((e) => e.tenant === rule.tenant);
  if (rule.account !== undefined) {
    const account = rule.account.toLowerCase();
    tests.push((e) => e.account.toLowerCase() === account);
  }
  if (rule.ip !== undefined) {
    const network = parseNetwork(rule.ip);
    tests.push((e) => network !== null && addressInNetwork(e.ip, network));
  }
  if (rule.action !== undefined) tests.push((e) => e.action === rule.action);
  if (rule.app !== undefined) tests.push((e) => e.appId === rule.app || e.appName === rule.app);
  return (event) => tests.every((test) => test(event));
}

function keyOf(event: EventKey): string {
  return JSON.stringify([event.source, event.tenant, event.externalId]);
}

/** Whether `finding` has events and `matches` holds for each of them. */
function everyEvent(finding: Finding, matches: EventMatcher): boolean {
  return finding.events.length > 0 && finding.events.every(matches);
}

/**
 * `findings` with `expected` set on those the acknowledgements or the allow-list `rules` make
 * expected (the others unchanged, the order kept; the input is not modified), and the summary.
 */
export function suppressFindings(
  findings: readonly Finding[],
  rules: readonly AllowRule[],
  acks: readonly AcknowledgementLike[],
): { findings: Finding[]; summary: SuppressionSummary } {
  const byId = new Map<string, AcknowledgementLike>();
  const byEvent = new Map<string, AcknowledgementLike>();
  const newestFirst = [...acks].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  for (const ack of [...newestFirst].reverse()) {
    byId.set(ack.findingId, ack);
    for (const event of ack.events) byEvent.set(keyOf(event), ack);
  }
  const matchers = rules.map((rule) => ({ text: allowRuleText(rule), matches: ruleMatcher(rule), findings: 0 }));
  let acknowledged = 0;
  let allowListed = 0;

  const out = findings.map((finding): Finding => {
    let expected: FindingExpected | undefined;
    const ack = byId.get(finding.id) ?? (everyEvent(finding, (e) => byEvent.has(keyOf(e))) ? byEvent.get(keyOf(finding.events[0]!)) : undefined);
    if (ack) {
      expected = { by: "ack", reason: ack.reason, at: ack.createdAt.toISOString() };
      acknowledged += 1;
    } else {
      const rule = matchers.find((m) => everyEvent(finding, m.matches));
      if (rule) {
        expected = { by: "allow-list", rule: rule.text };
        rule.findings += 1;
        allowListed += 1;
      }
    }
    return expected ? { ...finding, expected } : finding;
  });

  return {
    findings: out,
    summary: {
      allowListed,
      acknowledged,
      rules: matchers.filter((m) => m.findings > 0).map((m) => ({ rule: m.text, findings: m.findings })),
      recentAcks: newestFirst.slice(0, RECENT_ACKS).map((a) => ({ findingId: a.findingId, reason: a.reason, at: a.createdAt.toISOString() })),
    },
  };
}
