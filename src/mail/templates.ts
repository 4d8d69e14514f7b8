/**
 * Loads the report templates from `templates/` once per process: the MJML layout
 * (`report.mjml.hbs`), its partials (`partials/*.mjml.hbs`, registered by file name) and the
 * plain-text template (`report.txt.hbs`). Each kind gets its own Handlebars environment: the
 * MJML one escapes every value (HTML), the text one does not (it is text).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { MailError } from "../core/errors.ts";

export interface ReportTemplates {
  mjml: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
  /** The folder the templates were read from. */
  dir: string;
}

let cached: ReportTemplates | undefined;

/** The `templates/` folder: beside src/ when run from source, beside dist/ when built. */
export function templatesDir(): string {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const candidates = [join(here, "../../templates"), join(here, "../../../templates")];
  const found = candidates.find((dir) => existsSync(join(dir, "report.mjml.hbs")));
  if (!found) throw new MailError(`The report templates were not found (looked in ${candidates.join(" and ")}).`);
  return found;
}

/** Compile the templates (cached after the first call). */
export function loadTemplates(): ReportTemplates {
  if (cached) return cached;
  const dir = templatesDir();
  const read = (path: string) => readFileSync(path, "utf8");
  const html = Handlebars.create();
  const partialsDir = join(dir, "partials");
  for (const file of readdirSync(partialsDir).filter((f) => f.endsWith(".mjml.hbs")).sort()) {
    html.registerPartial(basename(file, ".mjml.hbs"), read(join(partialsDir, file)));
  }
  const text = Handlebars.create();
  cached = {
    dir,
    mjml: html.compile(read(join(dir, "report.mjml.hbs")), { strict: false, preventIndent: true }),
    text: text.compile(read(join(dir, "report.txt.hbs")), { noEscape: true, preventIndent: true }),
  };
  return cached;
}
