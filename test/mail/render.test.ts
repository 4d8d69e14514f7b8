import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_MAX_HTML_BYTES, renderReport } from "../../src/mail/render-report.ts";
import { reportSubject } from "../../src/mail/subject.ts";
import { displayText, formatEventTime } from "../../src/mail/format.ts";
import { featureInWords } from "../../src/mail/feature-words.ts";
import { labelsFor } from "../../src/mail/labels.ts";
import { APPENDIX_ITEMS, buildView, lateNightHours } from "../../src/mail/view-model.ts";
import { htmlText } from "./html-text.ts";
import { FORGED_LINE, HOSTILE_ACCOUNT, HOSTILE_APP, busyModel, cappedModel, emptyModel, fullModel } from "./fixtures.ts";
import { finding, findingsModel } from "./finding-fixtures.ts";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;").replace(/=/g, "&#x3D;");

describe("subject", () => {
  it("states the day and the four counts, singular and plural right", () => {
    assert.equal(reportSubject(busyModel(), "en"), "[kansa] 2026-10-05: 2 exports, 3 critical, 1 late-night login, 4 outliers");
    const one = busyModel();
    one.sections.exports = { total: 1, items: [], omitted: 1 };
    one.sections.outliers = { total: 1, items: [], omitted: 1 };
    one.sections.lateNight = { total: 2, items: [], omitted: 2 };
    assert.equal(reportSubject(one, "en"), "[kansa] 2026-10-05: 1 export, 3 critical, 2 late-night logins, 1 outlier");
  });
  it("has a Japanese form, and counts alarms first, with the failed sources among them", () => {
    assert.equal(reportSubject(busyModel(), "ja"), "[kansa] 2026-10-05: 書き出し 2 件、重要 3 件、深夜ログイン 1 件、異質なログ 4 件");
    assert.equal(reportSubject(emptyModel(), "en"), "[kansa] 2026-10-06: 2 alarms (1 source failed), 0 exports, 0 critical, 0 late-night logins, 0 outliers");
    assert.equal(reportSubject(emptyModel(), "ja"), "[kansa] 2026-10-06: アラーム 2 件（失敗したソース 1 件）、書き出し 0 件、重要 0 件、深夜ログイン 0 件、異質なログ 0 件");
    const silent = busyModel();
    silent.alarms = [{ kind: "source-silent", source: "kintone", tenant: "example.cybozu.com", message: "…", observed: 0, expected: 1400, dayKind: "weekday", month: "2026-09" }];
    assert.equal(reportSubject(silent, "en"), "[kansa] 2026-10-05: 1 alarm, 2 exports, 3 critical, 1 late-night login, 4 outliers");
  });
  it("never carries a string from the model other than a well-formed day", () => {
    const model = busyModel();
    model.day = "2026-10-05\r\nBcc: victim@example.com";
    assert.doesNotMatch(reportSubject(model, "en"), /Bcc|\n/);
  });
});

describe("formatting helpers", () => {
  it("shows times in the report zone, with the date when it is another day", () => {
    assert.equal(formatEventTime("2026-10-04T18:12:45.000Z", "Asia/Tokyo", "2026-10-05"), "03:12:45");
    assert.equal(formatEventTime("2026-10-05T18:00:00Z", "Asia/Tokyo", "2026-10-05"), "2026-10-06 03:00:00");
    assert.equal(formatEventTime("not a time", "UTC", "2026-10-05"), "not a time");
  });
  it("makes line breaks and direction controls visible and caps length", () => {
    assert.equal(displayText("a\nb\u202Ec"), "a\\u{000A}b\\u{202E}c");
    assert.equal(Array.from(displayText("x".repeat(500), 10)).length, 10);
    assert.equal(displayText(null), "");
  });
  it("knows the late-night hours of a window, also across midnight", () => {
    assert.deepEqual([...lateNightHours("02:00-05:00")], [2, 3, 4]);
    assert.deepEqual([...lateNightHours("23:00-01:00")].sort((a, b) => a - b), [0, 23]);
  });
  it("names features in words in both languages, and keeps unknown names readable", () => {
    assert.equal(featureInWords("time", labelsFor("en")), "time of day");
    assert.equal(featureInWords("new_ip", labelsFor("en")), "new IP address for this account");
    assert.equal(featureInWords("hourDeviation", labelsFor("ja")), "普段の時間帯からのずれ");
    assert.equal(featureInWords("someOtherThing", labelsFor("en")), "some other thing");
  });
});

describe("view", () => {
  it("draws the histogram as percentages of the largest value", () => {
    const view = buildView(busyModel(), { lang: "en" });
    assert.equal(view.histogram.rows.length, 24);
    assert.equal(Math.max(...view.histogram.rows.map((r) => r.dayPercent)), 100);
    for (const row of view.histogram.rows) assert.equal(row.dayPercent + row.dayRest, 100);
    assert.equal(view.histogram.rows[3]!.lateNight, true);
    assert.equal(view.histogram.rows[12]!.lateNight, false);
    // The text part: 00–11 beside 12–23, within 80 characters.
    assert.equal(view.histogram.textLines.length, 12);
    assert.match(view.histogram.textLines[3]!, /^03\* #* +1 \/ 0\.2 +15 {2}#+ +\d+ \/ 18\.5$/);
    for (const line of view.histogram.textLines) assert.ok(line.length <= 80, line);
  });
  it("lists at most APPENDIX_ITEMS events per appendix list, fewer on request, and counts what was left out", () => {
    const view = buildView(cappedModel(120, 50), { lang: "en" });
    assert.equal(view.appendix.lists[0]!.items.length, APPENDIX_ITEMS);
    assert.equal(view.appendix.lists[0]!.omittedText, `… ${120 - APPENDIX_ITEMS} more: kansa report --today 2026-10-06 --json`);
    const fewer = buildView(cappedModel(120, 50), { lang: "en", maxItems: 2 });
    assert.equal(fewer.appendix.lists[0]!.items.length, 2);
    assert.equal(fewer.appendix.lists[0]!.omittedText, "… 118 more: kansa report --today 2026-10-06 --json");
  });
});

describe("renderReport", () => {
  it("renders every appendix list's entries in HTML and text, escaping what came from the logs; outliers live in findings, not in a list", async () => {
    const model = busyModel();
    const { subject, html, text } = await renderReport(model, { lang: "en" });
    assert.match(subject, /^\[kansa\] 2026-10-05: /);
    const { exports, critical, lateNight } = model.sections;
    for (const [name, section] of Object.entries({ exports, critical, lateNight, failed: lateNight.failed! })) {
      for (const e of section.items) {
        const account = displayText(e.account, 120);
        assert.ok(html.includes(escapeHtml(account)), `${name}: HTML lists ${account}`);
        assert.ok(text.includes(account), `${name}: text lists ${account}`);
        assert.ok(html.includes(escapeHtml(e.action)) && text.includes(e.action), `${name}: action ${e.action}`);
      }
    }
    assert.ok(!html.includes(HOSTILE_APP), "the <script> app name is not markup");
    assert.ok(html.includes("&lt;script&gt;alert(&quot;pwn&quot;)&lt;/script&gt;"));
    assert.ok(!html.includes(HOSTILE_ACCOUNT));
    assert.doesNotMatch(html, /<[^>]*\sonmouseover\s*=/i, "no attribute injected by quotes");
    assert.doesNotMatch(html, /<script|<img/i);
    // The forged line stays one line in the text part.
    assert.ok(!text.includes(FORGED_LINE));
    assert.equal(text.split("\n").filter((l) => l.startsWith("== Summary ==")).length, 1);
    assert.match(text, /eve\\u\{000A\}== Summary ==\\u\{000A\}All clear — sapi/);
    // Text part carries the same numbers as the HTML.
    for (const needle of ["Late-night logins (02:00-05:00) (1)", "Failed late-night login attempts (1)", "2 exports, 3 critical, 1 late-night login, 4 outliers", "All times are in Asia/Tokyo (UTC+09:00)"]) {
      assert.ok(text.includes(needle), `text has ${needle}`);
      assert.ok(htmlText(html).includes(needle), `html has ${needle}`);
    }
    for (const gone of ["Outliers (4)", "23.46", "Main contributors"]) assert.ok(!text.includes(gone) && !htmlText(html).includes(gone), `no ${gone}`);
  });
  it("shows source health: counts, cursor age, warnings, zero-variance features", async () => {
    const { html, text } = await renderReport(busyModel(), { lang: "en" });
    for (const needle of ["collected 250 · stored 246 · duplicates 3 · rejected 1", "cursor age: 24.2 h", "unparsable IP addresses: 1", "AUTH0_RETENTION_DAYS", "left out of the distance: app."]) {
      assert.ok(text.includes(needle), `text has ${needle}`);
      assert.ok(htmlText(html).includes(needle), `html has ${needle}`);
    }
  });
  it("says there is no baseline and how to load one, and that nothing was found", async () => {
    const { html, text } = await renderReport(emptyModel(), { lang: "en" });
    assert.ok(text.includes("kansa backfill --month 2026-09"));
    assert.ok(html.includes("kansa backfill --month 2026-09"));
    assert.ok(text.includes("login failed at step \"submit\": CB_IL02"));
    assert.ok(html.includes("No events that day."));
    assert.equal((text.match(/^None\.$/gm) ?? []).length, 3, "exports, critical and late-night lists are empty");
  });
  it("shows the alarms first, each with its fix, in both parts and both languages, escaping the source's words", async () => {
    const model = emptyModel();
    model.alarms.push({
      kind: "retention-gap", source: "auth0", tenant: "acme.eu.auth0.com", message: HOSTILE_APP, detail: `${HOSTILE_APP} ${FORGED_LINE}`,
    });
    const { html, text } = await renderReport(model, { lang: "en" });
    const plain = htmlText(html);
    const first = (body: string, needle: string) => body.indexOf(needle) >= 0 && body.indexOf(needle) < body.indexOf("Summary");
    for (const body of [text, plain]) {
      assert.ok(first(body, "Alarms (3)"), "the alarms block comes before the summary");
      assert.ok(first(body, "Source failed — Collecting kintone / example.cybozu.com failed, so 2026-10-06 may be incomplete"));
      assert.ok(first(body, "Fix: kansa collect --source kintone --from 2026-10-06 --to 2026-10-06"));
      assert.ok(first(body, "No baseline — No baseline for kintone / example.cybozu.com: 2026-09 holds 12 events, fewer than the 100 a baseline needs"));
      assert.ok(first(body, "Fix: kansa backfill --month 2026-09"));
    }
    assert.ok(!html.includes(HOSTILE_APP) && html.includes("&lt;script&gt;"), "a source's words are escaped");
    assert.ok(!text.includes(FORGED_LINE), "and cannot forge lines in the text part");
    const ja = await renderReport(model, { lang: "ja" });
    assert.ok(ja.text.includes("アラーム (3)") && htmlText(ja.html).includes("基準なし — kintone / example.cybozu.com の基準がありません。"));
    // A day with no alarm has no alarms block.
    const quiet = await renderReport(busyModel(), { lang: "en" });
    assert.ok(!quiet.text.includes("Alarms") && !htmlText(quiet.html).includes("Alarms"));
  });
  it("says how many entries were left out of a long list, and which command lists them all", async () => {
    const { html, text } = await renderReport(cappedModel(500, 50), { lang: "en" });
    assert.ok(text.includes("Data exports (500)"));
    const more = `… ${500 - APPENDIX_ITEMS} more: kansa report --today 2026-10-06 --json`;
    assert.ok(text.includes(more) && htmlText(html).includes(more));
    assert.ok(html.includes(`>user${APPENDIX_ITEMS - 1}<`) && !html.includes(`>user${APPENDIX_ITEMS}<`));
  });
  it("speaks Japanese with REPORT_LANG=ja", async () => {
    const { subject, html, text } = await renderReport(busyModel(), { lang: "ja" });
    assert.match(subject, /書き出し 2 件/);
    for (const needle of ["データの書き出し (2)", "重要イベント (3)", "深夜のログイン (02:00-05:00) (1)", "異質なログ 4 件", "時間帯別のイベント数", "ソースの状態", "時刻はすべて Asia/Tokyo (UTC+09:00) です。", "付録: 当日の一覧"]) {
      assert.ok(text.includes(needle), `text has ${needle}`);
      assert.ok(htmlText(html).includes(needle), `html has ${needle}`);
    }
    assert.ok(!/Data exports|Critical events/.test(html));
  });
});

describe("mail size", () => {
  it("lists the day's lists compactly whatever their length", async () => {
    const { html, text } = await renderReport(fullModel(50), { lang: "en" });
    assert.ok(Buffer.byteLength(html) <= DEFAULT_MAX_HTML_BYTES, `HTML is ${Buffer.byteLength(html)} bytes`);
    assert.equal((text.match(/^\S.*user\d+@example\.com — export user · /gm) ?? []).length, APPENDIX_ITEMS);
    const omitted = `… ${150 - APPENDIX_ITEMS} more: kansa report --today 2026-10-06 --json`;
    assert.ok(text.includes(omitted) && htmlText(html).includes(omitted), `both parts say ${omitted}`);
    assert.ok(htmlText(html).includes("Source health"), "the end of the report is still there");
  });
  it("stays under Gmail's clipping size with many long high findings, never listing fewer of them", async () => {
    const model = findingsModel();
    const long = "x".repeat(110);
    const high = Array.from({ length: 28 }, (_, i) => finding({
      id: `2026-10-05-kintone-big${i}`, severity: "high", kind: "export", account: `account-${i}-${long}`,
      events: Array.from({ length: 30 }, (_, j) => ({
        source: "kintone", tenant: "example.cybozu.com", externalId: `big-${i}-${j}`, occurredAt: `2026-10-05T10:${String(j).padStart(2, "0")}:00+09:00`,
        account: `account-${i}-${long}`, action: "Record file download", description: `download of ${long}`, ip: "203.0.113.7", appId: "7", appName: `app ${long}`, level: null, result: null, flags: ["export"],
      })),
      reasons: [{ code: "export", text: `exported 30 files from app ${long}`, params: { count: 30, app: `app ${long}` } }],
    }));
    model.findings = [...high, ...model.findings!];
    const { html, text } = await renderReport(model, { lang: "en" });
    assert.ok(Buffer.byteLength(html) <= DEFAULT_MAX_HTML_BYTES, `HTML is ${Buffer.byteLength(html)} bytes`);
    const visible = htmlText(html);
    for (const f of model.findings.filter((f) => f.severity === "high" && !f.expected)) {
      assert.ok(text.includes(f.id) && visible.includes(f.id), `high finding ${f.id} is listed`);
    }
    const eventLines = (text.match(/^ {2}\| /gm) ?? []).length;
    const unbounded = await renderReport(model, { lang: "en", maxHtmlBytes: 0 });
    const allLines = (unbounded.text.match(/^ {2}\| /gm) ?? []).length;
    // With this many high findings each already lists one event (EVENT_LINES shared), so the budget is met without cutting more.
    assert.ok(eventLines <= allLines && eventLines >= high.length, `at least one event per high finding under the budget (${eventLines} of ${allLines})`);
    assert.match(text, /… 29 more events: kansa report --today 2026-10-06 --json/);
  });
  it("leaves the HTML's hour-of-day chart out before the findings' last events, saying so; the text part keeps it", async () => {
    const full = await renderReport(findingsModel(), { lang: "en" });
    const bars = (html: string) => (html.match(/bgcolor="#2b6cb0"/g) ?? []).length;
    assert.ok(bars(full.html) >= 10);
    const tight = await renderReport(findingsModel(), { lang: "en", maxHtmlBytes: Buffer.byteLength(full.html) - 10_000 });
    assert.equal(bars(tight.html), 0);
    assert.ok(htmlText(tight.html).includes("The chart is left out to keep this mail under Gmail's clipping size"));
    assert.match(tight.text, /^11 {2}#+ +32 \/ 20\.5 +23 /m, "the text part still draws it, in two columns");
    assert.ok((tight.text.match(/^ {2}\| 14:\d\d:07 /gm) ?? []).length >= 3, "the findings keep their events");
  });
});
