/**
 * Rendering: report model → subject, HTML (Handlebars fills the MJML templates, MJML 5
 * compiles them) and plain text. Takes the model only; no database, no network.
 */
import mjml2html from "mjml";
import type { ReportModel } from "../core/report-model.ts";
import { MailError } from "../core/errors.ts";
import type { ReportLang } from "./labels.ts";
import { reportSubject } from "./subject.ts";
import { loadTemplates } from "./templates.ts";
import { buildView } from "./view-model.ts";

export interface RenderOptions {
  lang: ReportLang;
  /** Further cap on the entries listed per section (the model is already capped). */
  maxItems?: number;
  /**
   * Largest HTML part wanted, in bytes (default 100,000: Gmail clips a message whose HTML is
   * larger, hiding the end of the report). Above it, sections are cut further (30, 20, 10, 5
   * entries) in both parts, each with the count of what was left out. 0 turns this off.
   */
  maxHtmlBytes?: number;
}

/** Gmail clips a message whose HTML exceeds about 102 KB. */
export const DEFAULT_MAX_HTML_BYTES = 100_000;
const FALLBACK_CAPS = [30, 20, 10, 5];

export interface RenderedReport {
  subject: string;
  html: string;
  text: string;
}

/**
 * Render `model` in `options.lang`. Every string from the logs is escaped in the HTML and made
 * visible (control and direction characters) in both parts. Throws MailError when the
 * templates do not compile to valid MJML (a bug in the templates, never in the data).
 */
export async function renderReport(model: ReportModel, options: RenderOptions): Promise<RenderedReport> {
  const budget = options.maxHtmlBytes ?? DEFAULT_MAX_HTML_BYTES;
  const s = model.sections;
  const longest = Math.max(s.exports.items.length, s.critical.items.length, s.lateNight.items.length, s.lateNight.failed?.items.length ?? 0, s.outliers.items.length);
  let cap = options.maxItems;
  let rendered = await renderOnce(model, options.lang, cap);
  for (const next of FALLBACK_CAPS) {
    if (budget <= 0 || Buffer.byteLength(rendered.html) <= budget) break;
    if (next >= Math.min(cap ?? Infinity, longest)) continue;
    cap = next;
    rendered = await renderOnce(model, options.lang, cap);
  }
  return rendered;
}

async function renderOnce(model: ReportModel, lang: ReportLang, maxItems: number | undefined): Promise<RenderedReport> {
  const templates = loadTemplates();
  const subject = reportSubject(model, lang);
  const view = { ...buildView(model, { lang, ...(maxItems === undefined ? {} : { maxItems }) }), preview: subject };
  const source = templates.mjml(view);
  let result: Awaited<ReturnType<typeof mjml2html>>;
  try {
    result = await mjml2html(source, { validationLevel: "strict", keepComments: false, filePath: templates.dir });
  } catch (error) {
    const detail = (error as { getMessages?: () => unknown }).getMessages?.() ?? (error as Error).message;
    throw new MailError(`Rendering the report for ${model.day} failed in MJML: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`, { cause: error });
  }
  if (result.errors.length > 0) {
    throw new MailError(`Rendering the report for ${model.day} failed in MJML: ${result.errors.map((e) => e.formattedMessage).join("; ")}`);
  }
  const text = templates.text(view).replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
  return { subject, html: result.html, text };
}
