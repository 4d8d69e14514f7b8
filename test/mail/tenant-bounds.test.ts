/**
 * Issue 21, point 9: a report keeps under Gmail's clipping whatever the number of tenants.
 * Tenants can be many (several organisations, one --tenant per import), and each brings an
 * alarm, a baseline, notices and source-health rows; 160 of them made a 641 KB mail. The mail
 * lists the most important of each such list and one line counting the rest, in both parts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Alarm, ReportModel } from "../../src/core/report-model.ts";
import { DEFAULT_MAX_HTML_BYTES, renderReport } from "../../src/mail/render-report.ts";
import { reportSubject } from "../../src/mail/subject.ts";
import { DEFAULT_MAX_SCOPES, buildView, mostImportant } from "../../src/mail/view-model.ts";
import { summarizeReport } from "../../src/schedule/daily-report.ts";
import { busyModel, fullModel } from "./fixtures.ts";
import { htmlText } from "./html-text.ts";

/** Gmail clips a message whose HTML is larger than this (about 102 KB). */
const GMAIL_CLIPS_AT = 102_000;
const FULL_LIST = "kansa report --today 2026-10-06 --json";

/** `base` with `n` tenants, each with an alarm, a source row, a baseline and a notice; every tenth failed. */
function withTenants(base: ReportModel, n: number, name: (i: number) => string = (i) => `tenant-${i}.eu.auth0.com`, error = (i: number) => `HTTP 503 from tenant ${i}`): ReportModel {
  const model = structuredClone(base);
  model.sources = [];
  model.baselines = [];
  model.alarms = [];
  model.notices = [];
  const failed: Alarm[] = [];
  const rest: Alarm[] = [];
  for (let i = 0; i < n; i++) {
    const tenant = name(i);
    const fails = i % 10 === 9;
    model.sources.push({
      source: "auth0", tenant, collected: fails ? 0 : 100 + i, stored: fails ? 0 : 100 + i, duplicates: 0, rejected: 0,
      errors: fails ? Array.from({ length: 20 }, (_, k) => `${error(i)} (attempt ${k + 1})`) : [], cursorAgeHours: 24, eventsThatDay: fails ? 0 : 100 + i, unparsableIps: 1,
      warnings: [],
    });
    model.baselines.push({ source: "auth0", tenant, month: "2026-09", n: i % 2 === 0 ? 3 : 5000, featureSet: "profile", droppedFeatures: [], available: i % 2 !== 0, threshold: 2 + i / 1000 });
    if (fails) failed.push({ kind: "source-failed", source: "auth0", tenant, message: "…", detail: error(i), fix: "kansa collect --source auth0 --from 2026-10-05 --to 2026-10-05" });
    else if (i % 2 === 0) rest.push({ kind: "baseline-missing", source: "auth0", tenant, month: "2026-09", observed: 3, minimum: 200, message: "…", fix: "kansa import <the files of 2026-09>" });
    else rest.push({ kind: "source-silent", source: "auth0", tenant, month: "2026-09", observed: 0, expected: 1400, dayKind: "weekday", message: "…", fix: "kansa import <the files of 2026-10-05>" });
    model.notices.push(`auth0 ${tenant}: 1 event(s) of 2026-10-05 have an address that is not IPv4; the classic vector encodes it as 0.`);
  }
  model.alarms = [...failed, ...rest];
  return model;
}

const alarmLines = (text: string) => (text.match(/^!! /gm) ?? []).length;

describe("a mail with many tenants", () => {
  it("500 tenants, each with an alarm, and full sections: under Gmail's clipping, the rest counted in both parts", async () => {
    const model = withTenants(fullModel(50), 500);
    const { subject, html, text } = await renderReport(model, { lang: "en" });
    const bytes = Buffer.byteLength(html);
    assert.ok(bytes <= DEFAULT_MAX_HTML_BYTES && bytes < GMAIL_CLIPS_AT, `HTML is ${bytes} bytes`);
    assert.ok(Buffer.byteLength(text) < 60_000, `text is ${Buffer.byteLength(text)} bytes`);
    const visible = htmlText(html);
    // The heading counts every alarm; the listed ones are the most serious (failures first).
    assert.ok(text.includes("== Alarms (500) ==") && visible.includes("Alarms (500)"));
    const shown = alarmLines(text);
    // Alarms are cut last: the sections shrink first, and the first 20 alarms stay.
    assert.equal(shown, DEFAULT_MAX_SCOPES, `alarms listed: ${shown}`);
    assert.ok(/^!! Source failed — /m.test(text) && !/^!! (No baseline|Source silent) — /m.test(text.split("== Summary ==")[0]!.split("\n").slice(0, 4 + Math.min(shown, 50)).join("\n")));
    const moreAlarms = `… and ${500 - shown} more alarms, not listed here: ${FULL_LIST} lists them all.`;
    assert.ok(text.includes(moreAlarms), `text says ${moreAlarms}`);
    assert.ok(visible.includes(moreAlarms), `HTML says ${moreAlarms}`);
    // Tenant rows: the same count of the rest, naming the commands that list them all.
    const moreTenants = /… and ([\d,]+) more tenants, not listed here: kansa status or kansa report --today 2026-10-06 --json lists them all\./g;
    const counts = [...text.matchAll(moreTenants)].map((m) => Number(m[1]!.replace(/,/g, "")));
    assert.equal(counts.length, 4, "events per source, baseline months, source health, baselines");
    for (const c of counts) assert.ok(c >= 500 - DEFAULT_MAX_SCOPES && c < 500, `more: ${c}`);
    assert.equal([...visible.matchAll(moreTenants)].length, 4);
    assert.match(text, /… and [\d,]+ more notices, not listed here: kansa report --today 2026-10-06 --json lists them all\./);
    // Every tenant named in the text is one of the listed rows, not all 500.
    const named = new Set(text.match(/tenant-\d+\.eu\.auth0\.com/g) ?? []);
    assert.ok(named.size <= 4 * DEFAULT_MAX_SCOPES, `tenants named: ${named.size}`);
    // The end of the report is still there.
    assert.ok(visible.includes("Source health") && visible.includes("Events by hour of day"));
    // 250 distinct thresholds (one per baseline) are shown as their range.
    assert.ok(text.includes("Outlier threshold: 2–2.5\n"), "threshold range");
    // The subject: numbers only, bounded.
    assert.equal(subject, "[kansa] 2026-10-05: 500 alarms (50 sources failed), 150 exports, 150 critical, 150 late-night logins, 150 outliers");
    assert.equal(subject, reportSubject(model, "en"));
  });

  it("in Japanese too", async () => {
    const { html, text } = await renderReport(withTenants(fullModel(50), 500), { lang: "ja" });
    assert.ok(Buffer.byteLength(html) < GMAIL_CLIPS_AT, `HTML is ${Buffer.byteLength(html)} bytes`);
    const shown = alarmLines(text);
    assert.ok(text.includes(`アラーム (500)`));
    assert.ok(htmlText(html).includes(`… ほか ${500 - shown} 件のアラームは省略しました。すべて見るには: ${FULL_LIST}`));
  });

  it("hostile tenant names and failures, long and full of characters HTML escapes, still fit and stay escaped", async () => {
    const hostile = (i: number) => `<img src=x onerror=alert(${i})>'"&\u202E\u0007`.repeat(12);
    const model = withTenants(fullModel(50), 500, hostile, (i) => `<script>alert(${i})</script>"'`.repeat(20));
    const { html, text } = await renderReport(model, { lang: "en" });
    assert.ok(Buffer.byteLength(html) < GMAIL_CLIPS_AT, `HTML is ${Buffer.byteLength(html)} bytes`);
    assert.doesNotMatch(html, /<script|<img/i);
    assert.doesNotMatch(text, /\u202E|\u0007/);
    assert.ok(text.includes("== Alarms (500) =="));
  });

  it("lists the most important tenants first: failed sources in source health, the busiest in events per source", () => {
    const view = buildView(withTenants(busyModel(), 100), { lang: "en" });
    assert.equal(view.health.sources.length, DEFAULT_MAX_SCOPES);
    assert.equal(view.health.sources.filter((s) => s.errors.length > 0).length, 10, "the 10 failed sources are listed");
    assert.equal(view.health.sources[0]!.errors.length, 10, "at most 10 failures per source");
    assert.equal(view.health.sourcesMore, `… and 80 more tenants, not listed here: kansa status or ${FULL_LIST} lists them all.`);
    assert.equal(view.summary.perSource[0]!.name, "auth0 / tenant-98.eu.auth0.com");
    assert.equal(view.summary.perSource[0]!.count, "198");
    assert.equal(view.alarms.length, DEFAULT_MAX_SCOPES);
    assert.equal(view.alarmCount, "100");
    assert.ok(view.alarms.slice(0, 10).every((a) => a.kind === "Source failed"));
    assert.ok(view.health.baselines.slice(0, 10).every((b) => b.notice === null || b.notice.length > 0));
    // A smaller cap is honoured.
    const small = buildView(withTenants(busyModel(), 100), { lang: "en", maxScopes: 3 });
    assert.equal(small.alarms.length, 3);
    assert.equal(small.alarmsMore, `… and 97 more alarms, not listed here: ${FULL_LIST} lists them all.`);
  });

  it("says nothing more when every tenant is listed", async () => {
    const view = buildView(busyModel(), { lang: "en" });
    assert.equal(view.alarmsMore, null);
    assert.equal(view.summary.perSourceMore, null);
    assert.equal(view.health.sourcesMore, null);
    assert.equal(view.health.baselinesMore, null);
    assert.equal(view.summary.noticesMore, null);
    const { text } = await renderReport(withTenants(busyModel(), DEFAULT_MAX_SCOPES), { lang: "en", maxHtmlBytes: 0 });
    assert.doesNotMatch(text, /more (tenants|alarms|notices), not listed/);
    assert.equal(alarmLines(text), DEFAULT_MAX_SCOPES);
  });

  it("mostImportant keeps the order of a short list and ranks a long one, ties in the model's order", () => {
    assert.deepEqual(mostImportant([3, 1, 2], 3, (x) => [x]), { shown: [3, 1, 2], more: 0 });
    assert.deepEqual(mostImportant([1, 3, 2, 3], 2, (x) => [x]), { shown: [3, 3], more: 2 });
    assert.deepEqual(mostImportant(["a", "b", "c"], 1), { shown: ["a"], more: 2 });
  });
});

describe("kansa run's summary with many tenants", () => {
  it("prints 20 alarms, 20 sources and 20 notes of 500, each list ending with the count of the rest", () => {
    const summary = summarizeReport(withTenants(busyModel(), 500));
    const lines = summary.split("\n");
    assert.equal(lines.filter((l) => l.startsWith("  ALARM ")).length, 20);
    assert.equal(lines.filter((l) => l.startsWith("  note: ")).length, 20);
    assert.equal(lines.filter((l) => /^ {2}auth0 tenant-\d+/.test(l)).length, 20);
    for (const what of ["alarms", "sources", "notes"]) assert.ok(lines.includes(`  … and 480 more ${what} (kansa report --json lists them all).`), what);
    assert.ok(lines[0]!.includes("500 alarm(s)"), lines[0]);
    assert.ok(lines.length < 80, `${lines.length} lines`);
  });
});
