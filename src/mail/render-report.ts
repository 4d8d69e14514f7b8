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
}

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
  const templates = loadTemplates();
  const subject = reportSubject(model, options.lang);
  const view = { ...buildView(model, { lang: options.lang, ...(options.maxItems === undefined ? {} : { maxItems: options.maxItems }) }), preview: subject };
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
