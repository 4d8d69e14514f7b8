/**
 * Rendering: report model → subject, HTML (Handlebars fills the MJML templates, MJML 5
 * compiles them) and plain text. Takes the model only; no database, no network.
 */
import type mjmlType from "mjml";
import type { ReportModel } from "../core/report-model.ts";
import { MailError } from "../core/errors.ts";
import type { ReportLang } from "./labels.ts";
import { reportSubject } from "./subject.ts";
import { loadTemplates } from "./templates.ts";
import { DEFAULT_MAX_LINES, DEFAULT_MAX_SCOPES, buildView } from "./view-model.ts";

export interface RenderOptions {
  lang: ReportLang;
  /** Further cap on the entries per appendix list, the events per finding and the medium and low findings listed (high findings are never cut). */
  maxItems?: number;
  /** Entries listed per list that grows with tenants (alarms, sources, baselines, notices); default DEFAULT_MAX_SCOPES. */
  maxScopes?: number;
  /**
   * Largest HTML part wanted, in bytes (default 90,000: Gmail clips a message whose HTML is
   * larger than about 102 KB, hiding the end of the report; the margin covers what a mail client
   * or relay adds). Above it, the appendix, the events of each finding, the medium and low
   * findings and the lists that grow with tenants are cut further, in both parts, each with the
   * count of what was left out, and the HTML leaves out its hour-of-day chart (saying so); high
   * findings never are cut. 0 turns this off (the default caps stay).
   */
  maxHtmlBytes?: number;
}

/** Gmail clips a message whose HTML exceeds about 102 KB; this leaves a margin below it. */
export const DEFAULT_MAX_HTML_BYTES = 90_000;

interface Caps {
  /** Entries per appendix list, events per finding, medium and low findings (undefined: the view's defaults). */
  items: number | undefined;
  /** Entries per list that grows with sources and tenants. */
  scopes: number;
  /** Alarms listed: what the reader must act on first, so cut only once everything else is at its least. */
  alarms: number;
  /** Failures and warnings per source. */
  lines: number;
  /** The hour-of-day chart in the HTML part (about 30 KB of table cells); the text part always has it. */
  bars: boolean;
}

/** Tighter and tighter caps, tried in turn while the HTML is over budget. */
const FALLBACK_CAPS: (Caps & { items: number })[] = [
  { items: 30, scopes: 20, lines: 10, alarms: 20, bars: true },
  { items: 20, scopes: 10, lines: 5, alarms: 20, bars: true },
  { items: 10, scopes: 10, lines: 3, alarms: 20, bars: true },
  { items: 5, scopes: 5, lines: 2, alarms: 20, bars: true },
  { items: 3, scopes: 3, lines: 1, alarms: 20, bars: true },
  // The chart goes before the findings' events do.
  { items: 3, scopes: 3, lines: 1, alarms: 20, bars: false },
  { items: 1, scopes: 1, lines: 1, alarms: 20, bars: false },
  { items: 1, scopes: 1, lines: 1, alarms: 10, bars: false },
  { items: 1, scopes: 1, lines: 1, alarms: 3, bars: false },
  { items: 1, scopes: 1, lines: 1, alarms: 1, bars: false },
];

export interface RenderedReport {
  subject: string;
  html: string;
  text: string;
}

/**
 * Render `model` in `options.lang`. Every string from the logs is escaped in the HTML and made
 * visible (control and direction characters) in both parts. The lists that grow with tenants
 * show at most `maxScopes` entries each, and the HTML is kept under `maxHtmlBytes` (see
 * RenderOptions), whatever the number of tenants and events. Throws MailError when the
 * templates do not compile to valid MJML (a bug in the templates, never in the data).
 */
export async function renderReport(model: ReportModel, options: RenderOptions): Promise<RenderedReport> {
  const budget = options.maxHtmlBytes ?? DEFAULT_MAX_HTML_BYTES;
  const s = model.sections;
  const longest = {
    items: Math.max(s.exports.items.length, s.critical.items.length, s.lateNight.items.length, s.lateNight.failed?.items.length ?? 0, model.findings?.length ?? 0, ...(model.findings ?? []).map((f) => f.events.length)),
    scopes: Math.max(model.sources.length, model.baselines.length, model.notices?.length ?? 0),
    alarms: model.alarms?.length ?? 0,
    lines: model.sources.reduce((most, source) => Math.max(most, source.errors.length, source.warnings?.length ?? 0), 0),
  };
  // What a set of caps actually shows: two caps that show the same render the same.
  const shown = (c: Caps) => [Math.min(c.items ?? Infinity, longest.items), Math.min(c.scopes, longest.scopes), Math.min(c.lines, longest.lines), Math.min(c.alarms, longest.alarms), c.bars].join();
  const scopes = options.maxScopes ?? DEFAULT_MAX_SCOPES;
  let caps: Caps = { items: options.maxItems, scopes, lines: DEFAULT_MAX_LINES, alarms: scopes, bars: true };
  let rendered = await renderOnce(model, options.lang, caps);
  for (const level of FALLBACK_CAPS) {
    if (budget <= 0 || Buffer.byteLength(rendered.html) <= budget) break;
    const next: Caps = { items: Math.min(level.items, caps.items ?? Infinity), scopes: Math.min(level.scopes, caps.scopes), lines: Math.min(level.lines, caps.lines), alarms: Math.min(level.alarms, caps.alarms), bars: level.bars && caps.bars };
    if (shown(next) === shown(caps)) continue;
    caps = next;
    rendered = await renderOnce(model, options.lang, caps);
  }
  return rendered;
}

async function renderOnce(model: ReportModel, lang: ReportLang, caps: Caps): Promise<RenderedReport> {
  const templates = loadTemplates();
  const subject = reportSubject(model, lang);
  const view = { ...buildView(model, { lang, maxScopes: caps.scopes, maxLines: caps.lines, maxAlarms: caps.alarms, histogramBars: caps.bars, ...(caps.items === undefined ? {} : { maxItems: caps.items }) }), preview: subject };
  const source = templates.mjml(view);
  let result: Awaited<ReturnType<typeof mjmlType>>;
  try {
    // Loaded when a mail is rendered (about 55 MB of resident memory), not with the daily job.
    const { default: mjml2html } = await import("mjml");
    result = await mjml2html(source, { validationLevel: "strict", keepComments: false, filePath: templates.dir });
  } catch (error) {
    const detail = (error as { getMessages?: () => unknown }).getMessages?.() ?? (error as Error).message;
    throw new MailError(`Rendering the report for ${model.day} failed in MJML: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`, { cause: error });
  }
  if (result.errors.length > 0) {
    throw new MailError(`Rendering the report for ${model.day} failed in MJML: ${result.errors.map((e) => e.formattedMessage).join("; ")}`);
  }
  const text = templates.text(view).replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
  return { subject, html: compactHtml(result.html), text };
}

/**
 * MJML indents its output deeply (a third of a report's bytes). Indentation after a line break
 * is only whitespace between tags or inside text, where the line break alone renders the same
 * (only ASCII spaces and tabs are removed: a no-break space from a log is content). No template
 * uses `pre` or `white-space: pre`, and log strings reach the HTML without line breaks.
 */
export function compactHtml(html: string): string {
  return html.replace(/\n[ \t]+/g, "\n").replace(/\n{2,}/g, "\n");
}
