/**
 * The rendered mail in a real headless Chromium: at 375 px (a phone) and 800 px wide the
 * document never scrolls sideways, it has no images or scripts, hostile strings are text, and
 * the histogram is drawn with table cells. Screenshots are saved to a temp folder
 * (KANSA_KEEP_SCREENSHOTS=1 keeps them and prints where).
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { renderReport } from "../../src/mail/render-report.ts";
import type { ReportModel } from "../../src/core/report-model.ts";
import { HOSTILE_ACCOUNT, HOSTILE_APP, busyModel, cappedModel, emptyModel } from "./fixtures.ts";
import { LONG_ACCOUNT, LONG_PATH, demoDayModel, findingsModel } from "./finding-fixtures.ts";

/** Findings with a 200-character account and a long API path: they must wrap, not widen the mail. */
function longStringsModel(): ReportModel {
  const model = demoDayModel();
  const first = model.findings![0]!;
  first.account = LONG_ACCOUNT;
  first.events = first.events.map((e) => ({ ...e, account: LONG_ACCOUNT, description: LONG_PATH }));
  first.addresses = [{ key: "2001:db8:85a3:0000:0000:8a2e:0370:7334", count: 1, new: true }];
  model.sections.critical.items[0] = { ...model.sections.critical.items[0]!, account: LONG_ACCOUNT, action: LONG_PATH };
  return model;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`;

describe("the report in Chromium", { skip }, () => {
  let browser: Browser;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "kansa-mail-shots-"));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  });
  after(async () => {
    await browser?.close();
    if (process.env.KANSA_KEEP_SCREENSHOTS) console.log(`screenshots kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });

  const cases: [string, () => ReportModel, "en" | "ja"][] = [
    ["busy-en", busyModel, "en"],
    ["busy-ja", busyModel, "ja"],
    ["empty-en", emptyModel, "en"],
    ["capped-en", () => cappedModel(300, 50), "en"],
    ["findings-en", findingsModel, "en"],
    ["findings-ja", findingsModel, "ja"],
    ["demo-ja", demoDayModel, "ja"],
    ["long-en", longStringsModel, "en"],
  ];
  for (const [name, model, lang] of cases) {
    it(`${name}: fits 375 px and 800 px without horizontal overflow, no images or scripts`, async () => {
      const { html } = await renderReport(model(), { lang });
      assert.doesNotMatch(html, /<img\b|<script\b/i);
      const file = join(dir, `${name}.html`);
      writeFileSync(file, html);
      for (const width of [375, 800]) {
        const page = await browser.newPage({ viewport: { width, height: 900 }, javaScriptEnabled: true });
        try {
          await page.goto(`file://${file}`);
          const m = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            clientWidth: document.documentElement.clientWidth,
            bodyScrollWidth: document.body.scrollWidth,
            images: document.querySelectorAll("img").length,
            scripts: document.querySelectorAll("script").length,
            handlers: Array.from(document.querySelectorAll("*")).filter((el) => Array.from(el.attributes).some((a) => a.name.startsWith("on"))).length,
            text: document.body.innerText,
            bars: document.querySelectorAll("td[bgcolor='#2b6cb0']").length,
            // Numbers, times and percentages never wrap: each is one box on one line.
            wrapped: Array.from(document.querySelectorAll(".kansa-num")).filter((el) => el.getClientRects().length !== 1 || getComputedStyle(el).whiteSpace !== "nowrap").map((el) => el.textContent),
            nums: document.querySelectorAll(".kansa-num").length,
          }));
          assert.ok(m.scrollWidth <= m.clientWidth, `${name} at ${width}px: scrollWidth ${m.scrollWidth} > clientWidth ${m.clientWidth}`);
          assert.ok(m.bodyScrollWidth <= m.clientWidth, `${name} at ${width}px: body overflows`);
          assert.equal(m.images, 0);
          assert.equal(m.scripts, 0);
          assert.equal(m.handlers, 0, "no event-handler attribute from a hostile string");
          assert.deepEqual(m.wrapped, [], `${name} at ${width}px: numbers wrapped`);
          if (name.startsWith("findings") || name.startsWith("demo") || name.startsWith("long")) {
            assert.ok(m.nums >= 20, `numbers marked (${m.nums})`);
            assert.ok(m.text.includes(name.endsWith("ja") ? "先月の 99.97% より珍しい" : "rarer than 99.97% of last month"));
          }
          if (name === "long-en") assert.ok(m.text.replace(/\s/g, "").includes(LONG_ACCOUNT), "the long account is shown whole, wrapped");
          if (name.startsWith("busy")) {
            assert.ok(m.text.includes(HOSTILE_APP), "the <script> app name reads as text");
            assert.ok(m.text.includes(HOSTILE_ACCOUNT.split(" <b>")[0]!), "the quoted account reads as text");
            assert.ok(m.bars >= 10, `histogram bars drawn with cells (${m.bars})`);
          }
          const shot = join(dir, `${name}-${width}.png`);
          await page.screenshot({ path: shot, fullPage: true });
          assert.ok(statSync(shot).size > 10_000, "a screenshot with content");
        } finally {
          await page.close();
        }
      }
    });
  }
});
