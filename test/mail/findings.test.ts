/**
 * The mail of a day with findings (issue 23): alarms first, high findings in full, medium shorter,
 * low one line each up to a cap, expected ones counted in the footer, the day's lists as a compact
 * appendix; distances in words, never numbers; Auth0's descriptions instead of type codes; the
 * subject naming the most severe finding in our own words; the Japanese mail without English
 * labels; the text part of a day like the demo's under 200 lines.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ReportModel } from "../../src/core/report-model.ts";
import { labelsFor, type Labels } from "../../src/mail/labels.ts";
import { renderReport } from "../../src/mail/render-report.ts";
import { reportSubject } from "../../src/mail/subject.ts";
import { buildView } from "../../src/mail/view-model.ts";
import { LOW_LISTED } from "../../src/mail/findings-view.ts";
import { htmlText } from "./html-text.ts";
import { HOSTILE_ACCOUNT, HOSTILE_APP, emptyModel } from "./fixtures.ts";
import { demoDayModel, finding, findingsModel } from "./finding-fixtures.ts";

const both = async (model: ReportModel, lang: "en" | "ja" = "en") => {
  const r = await renderReport(model, { lang });
  return { ...r, visible: htmlText(r.html) };
};

describe("findings in the mail", () => {
  it("puts alarms first, then high findings, medium, low, the expected count and the appendix, in both parts", async () => {
    const model = findingsModel();
    model.alarms = emptyModel().alarms;
    const { text, visible } = await both(model);
    for (const body of [text, visible]) {
      const order = ["Alarms (2)", "Findings: 2 high, 2 medium, 1 low", "High severity (2)", "MFA enrollment removed at 11:02", "temp-contractor4 exported 40 files", "Medium severity (2)", "security settings changed", "Low severity (1)", "records deleted", "Expected: 1 finding counted, not listed", "Appendix: the day's lists", "Summary", "Events by hour of day", "Source health"];
      const at = order.map((needle) => body.indexOf(needle));
      order.forEach((needle, i) => assert.ok(at[i]! >= 0, `has ${needle}`));
      for (let i = 1; i < at.length; i++) assert.ok(at[i - 1]! < at[i]!, `${order[i - 1]} before ${order[i]}`);
      assert.ok(!body.includes("2026-10-05-kintone-exp001"), "an expected finding is counted, not listed");
      assert.ok(!body.includes("Outliers ("), "no outlier list");
    }
  });

  it("shows a high finding in full: reasons, span, counts, addresses new or known, at most 8 events then how many more", async () => {
    const { text, visible } = await both(findingsModel());
    for (const body of [text, visible]) {
      for (const needle of ["first time from 45.77.12.34 for this account", "14:00–14:39", "40 events", "Record file download ×40", "45.77.12.34 (new)", "203.0.113.10 (known)", "… 32 more events: kansa report --today 2026-10-06 --json", "2026-10-05-kintone-d4e5f6"]) {
        assert.ok(body.includes(needle), `has ${needle}`);
      }
    }
    assert.equal((text.match(/^ {2}\| 14:\d\d:07 /gm) ?? []).length, 8, "8 of the 40 events");
    // Medium: summary, reasons and span, not the events.
    assert.ok(text.includes("\n  login at 03:12, inside the late-night window 02:00-05:00 · rarer than anything last month\n"), "its reasons on one line");
    assert.ok(visible.includes("login at 03:12, inside the late-night window 02:00-05:00"));
    assert.ok(!/^ {2}\| 03:12:45/m.test(text), "a medium finding lists no events");
  });

  it("says what Auth0's type codes mean, in findings and in the lists, and never shows a distance as a number", async () => {
    const model = findingsModel();
    const { flags: _flags, description: _description, ...listed } = model.findings![0]!.events[0]!;
    model.sections.critical = { total: 1, items: [listed], omitted: 0 };
    const { text, visible, html } = await both(model);
    assert.match(text, /^11:02:00 {2}alice@example\.com — MFA enrollment removed · /m, "the appendix too");
    for (const body of [text, visible]) {
      assert.ok(body.includes("11:02:00  MFA enrollment removed") || body.includes("11:02:00 MFA enrollment removed"), "Auth0's description, not gd_unenroll");
      assert.ok(!body.includes("gd_unenroll"));
      assert.ok(body.includes("rarer than 99.97% of last month"));
      assert.ok(body.includes("rarer than anything last month"));
      assert.ok(!/3,?394/.test(body), "no raw distance");
    }
    assert.match(html, /class="kansa-num"[^>]*>rarer than 99\.97% of last month</, "the percentage does not wrap");
  });

  it("words rarity with enough decimals to stay below 100%", () => {
    const model = findingsModel();
    const cases: [number, string][] = [[0.95, "rarer than 95% of last month"], [0.995, "rarer than 99.5% of last month"], [0.9997, "rarer than 99.97% of last month"], [1, "rarer than anything last month"]];
    for (const [percentile, words] of cases) {
      model.findings![1]!.percentile = percentile;
      assert.equal(buildView(model, { lang: "en" }).findings.high[1]!.rarity, words);
    }
  });

  it("gives an event's rarity only for an outlier, and only where it differs from its finding's", () => {
    const model = findingsModel();
    model.findings![0]!.events[0]!.percentile = 0.83;
    const downloads = model.findings![1]!.events;
    downloads[1] = { ...downloads[1]!, percentile: 0.9999 };
    const view = buildView(model, { lang: "en" });
    assert.equal(view.findings.high[0]!.events[0]!.rarity, null, "a critical event's percentile says nothing");
    assert.deepEqual(view.findings.high[1]!.events.slice(0, 3).map((e) => e.rarity), [null, "rarer than 99.99% of last month", null]);
  });

  it("lists a reason once when two read alike in the report's language", () => {
    const model = findingsModel();
    const f = model.findings![0]!;
    f.reasonDetails.push({ code: "new-address", text: "first failed login from 198.51.100.7 for this account", params: { ip: "198.51.100.7", nobody: false } });
    f.reasons = f.reasonDetails.map((r) => r.text);
    assert.equal(buildView(model, { lang: "en" }).findings.high[0]!.reasons.length, 3);
    assert.deepEqual(buildView(model, { lang: "ja" }).findings.high[0]!.reasons, ["多要素認証の登録を削除", "このアカウントで初めてのアドレス 198.51.100.7"]);
  });

  it("lists low findings one line each up to a cap, then counts the rest", async () => {
    const { text, visible } = await both(demoDayModel());
    const more = `… ${31 - LOW_LISTED} more low findings: kansa report --today 2026-10-06 --json`;
    assert.ok(text.includes(more) && visible.includes(more));
    assert.equal((text.match(/^- clerk\d+: records deleted/gm) ?? []).length, LOW_LISTED - 1, "the admin's and 14 clerks'");
  });

  it("lists routine work the catalogue rates high right after the high findings, every one, in both languages", async () => {
    const model = findingsModel();
    const routineSecurity = Array.from({ length: LOW_LISTED + 2 }, (_, i) => finding({
      id: `2026-10-05-kintone-sec${String(i).padStart(3, "0")}`, severity: "low", kind: "routine", account: `admin${i}`,
      events: [{ source: "kintone", tenant: "example.cybozu.com", externalId: `sec-${i}`, occurredAt: "2026-10-05T10:15:00+09:00", account: `admin${i}`, action: "configure security setting", ip: "203.0.113.50", appId: null, appName: null, level: "Notice", result: "SUCCESS", flags: ["critical"] }],
      reasons: [{ code: "catalogue", text: "Security, login or audit settings changed", params: { label: "Security, login or audit settings changed", labelJa: "セキュリティ・ログイン・監査の設定の変更", count: 1, severity: "high" } }, { code: "routine", text: "routine: on 12 days last month", params: { days: 12, month: "2026-09" } }],
      routine: { days: 12, month: "2026-09" },
    }));
    model.findings = [...model.findings!, ...routineSecurity];
    for (const lang of ["en", "ja"] as const) {
      const { text } = await both(model, lang);
      const t = labelsFor(lang);
      const heading = text.indexOf(`-- ${t.routineChanges(routineSecurity.length)} --`);
      assert.ok(heading > text.indexOf(`-- ${t.severityHeading.high(2)} --`) && heading < text.indexOf(`-- ${t.severityHeading.medium(2)} --`), `${lang}: after high, before medium`);
      for (const f of routineSecurity) assert.equal(text.split(`(${f.id})`).length - 1, 1, `${lang}: ${f.id} listed once, never cut`);
      // The low count still holds them; the low list does not repeat them.
      assert.ok(text.includes(t.findingCounts(2, 2, 1 + routineSecurity.length)), lang);
    }
  });

  it("lists every high finding whatever their number, sharing out the events", () => {
    const model = demoDayModel();
    const extra = Array.from({ length: 30 }, (_, i) => finding({
      id: `2026-10-05-kintone-many${i}`, severity: "high", kind: "critical", account: `admin${i}`,
      events: Array.from({ length: 10 }, (_, j) => ({ source: "kintone", tenant: "example.cybozu.com", externalId: `m${i}-${j}`, occurredAt: `2026-10-05T12:${String(j).padStart(2, "0")}:00+09:00`, account: `admin${i}`, action: "configure security setting", ip: "203.0.113.9", appId: null, appName: null, level: "Notice", flags: ["critical"] })),
      reasons: [{ code: "catalogue", text: "security settings changed", params: { label: "security settings changed", labelJa: "セキュリティ設定の変更", count: 10 } }],
    }));
    model.findings = [...extra, ...model.findings!];
    const view = buildView(model, { lang: "en", maxItems: 1 });
    assert.equal(view.findings.high.length, 34);
    assert.ok(view.findings.high.every((f) => f.events.length === 1));
    assert.equal(view.findings.low.length, 1);
  });

  it("summarises what was made expected and how to acknowledge a finding", async () => {
    const { text, visible } = await both(findingsModel());
    for (const body of [text, visible]) {
      for (const needle of ["1 by the allow-list", "rule account=backup-bot action=export user: 1 finding", "acknowledged 2026-10-04-kintone-zzz on 2026-10-05: quarterly audit export", 'kansa ack ID --reason "…"']) {
        assert.ok(body.includes(needle), `has ${needle}`);
      }
    }
    const none = findingsModel();
    none.findings = none.findings!.filter((f) => !f.expected);
    delete none.suppression;
    const quiet = await both(none);
    for (const body of [quiet.text, quiet.visible]) assert.ok(!body.includes("Expected:") && body.includes('kansa ack ID --reason "…"'), "no count of nothing, the hint stays");
  });

  it("escapes every log string inside findings", async () => {
    const { html, visible } = await both(findingsModel());
    assert.doesNotMatch(html, /<script|<img|<b>bold/i);
    assert.doesNotMatch(html, /<[^>]*\sonmouseover\s*=/i);
    assert.ok(visible.includes(HOSTILE_APP) && visible.includes(HOSTILE_ACCOUNT));
  });

  it("keeps the text part of a day like the demo's under 200 lines, in both languages", async () => {
    for (const lang of ["en", "ja"] as const) {
      const { text } = await renderReport(demoDayModel(), { lang });
      const lines = text.split("\n").length;
      assert.ok(lines < 200, `${lang}: ${lines} lines`);
    }
  });
});

describe("the subject with findings", () => {
  it("names the most severe finding in our catalogue's words and counts by severity", () => {
    assert.equal(reportSubject(findingsModel(), "en"), "[kansa] 2026-10-05: high — MFA enrollment removed; 2 high, 2 medium, 1 low");
    assert.equal(reportSubject(findingsModel(), "ja"), "[kansa] 2026-10-05: 高 — 多要素認証の登録を削除／高 2 件、中 2 件、低 1 件");
    const alarmed = findingsModel();
    alarmed.alarms = emptyModel().alarms;
    alarmed.sources = emptyModel().sources;
    assert.equal(reportSubject(alarmed, "en"), "[kansa] 2026-10-05: high — MFA enrollment removed; 2 high, 2 medium, 1 low; 2 alarms (1 source failed)");
  });
  it("uses the kind's name when the catalogue has no label, and never an account, app or path", () => {
    const model = findingsModel();
    model.findings = model.findings!.filter((f) => f.kind !== "critical");
    const subject = reportSubject(model, "en");
    assert.equal(subject, "[kansa] 2026-10-05: high — data export; 1 high, 1 medium, 1 low");
    assert.ok(!subject.includes("temp-contractor4") && !subject.includes("script") && !subject.includes("45.77"));
    assert.equal(reportSubject(model, "ja"), "[kansa] 2026-10-05: 高 — データの書き出し／高 1 件、中 1 件、低 1 件");
    model.findings![0]!.reasonDetails.unshift({ code: "catalogue", text: "x", params: { label: "changed\r\nBcc: victim@example.com", labelJa: "x" } });
    assert.doesNotMatch(reportSubject(model, "en"), /[\r\n]/);
  });
  it("says there are no findings on a quiet day", () => {
    const model = findingsModel();
    model.findings = model.findings!.filter((f) => f.expected);
    assert.equal(reportSubject(model, "en"), "[kansa] 2026-10-05: no findings");
    assert.equal(reportSubject(model, "ja"), "[kansa] 2026-10-05: 検出事項なし");
  });
});

/** Every literal piece of text an English label prints (functions called with placeholders), recursively. */
function labelFragments(value: unknown): string[] {
  const mark = "\u0001";
  if (typeof value === "string") return [value];
  if (typeof value === "function") {
    const out = (value as (...args: unknown[]) => unknown)(...Array.from({ length: Math.max(1, value.length) }, () => mark));
    return typeof out === "string" ? out.split(mark) : [];
  }
  if (value && typeof value === "object") return Object.values(value).flatMap(labelFragments);
  return [];
}

describe("the Japanese mail", () => {
  it("has no English label, reason or notice; only log strings stay as they are", async () => {
    const model = demoDayModel();
    model.alarms = emptyModel().alarms;
    const { text, visible, subject } = await both(model, "ja");
    const { lang: _lang, ...words } = labelsFor("en") as Labels;
    // Commands, setting names and short tokens the Japanese labels use too (such as "(UTC") are the same in both languages.
    const jaWords = labelFragments(labelsFor("ja")).join("\n");
    const shared = (f: string) => /kansa |--|[A-Z]+_[A-Z]+/.test(f) || (f.length <= 6 && jaWords.includes(f));
    const english = [...new Set(labelFragments(words).map((f) => f.trim()).filter((f) => f.length >= 4 && /[a-z]{3}/i.test(f) && !shared(f)))];
    assert.ok(english.length > 100, `${english.length} English fragments checked`);
    // Log strings of this model that happen to be English (Auth0's descriptions, actions), and the allow-list's rules and reasons as written.
    const logStrings = new Set([
      ...model.findings!.flatMap((f) => f.events.flatMap((e) => [e.action, e.description ?? ""])),
      ...model.suppression!.rules.map((r) => r.rule),
      ...(model.suppression!.recentAcks ?? []).map((a) => a.reason),
    ]);
    for (const fragment of english) {
      for (const [name, body] of [["text", text], ["html", visible], ["subject", subject]] as const) {
        const at = body.indexOf(fragment);
        if (at < 0) continue;
        const inLog = [...logStrings].some((s) => s.includes(fragment));
        assert.ok(inLog, `${name} has the English label text "${fragment}" near "${body.slice(Math.max(0, at - 40), at + 40)}"`);
      }
    }
    // The findings' English sentences are not used either (their words come in Japanese).
    for (const f of model.findings!.filter((f) => !f.expected)) {
      for (const reason of f.reasons.filter((r) => !logStrings.has(r))) assert.ok(!text.includes(reason) && !visible.includes(reason), `reason "${reason}" in English`);
    }
    assert.ok(text.includes("先月の 99.97% より珍しい") && text.includes("重大度「高」"));
  });
});
