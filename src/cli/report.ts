import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { InputError } from "../core/errors.ts";
import { organisationScope } from "../schedule/daily-job.ts";
import { createContext, printJson, withDatabase } from "./context.ts";
import { parseDay, todayIn } from "../core/calendar.ts";
import { buildReport } from "../report/build-report.ts";
import { formatAddress, parseAddress } from "../mail/addresses.ts";
import { composeEml } from "../mail/eml.ts";
import { renderReport } from "../mail/render-report.ts";

interface ReportOptions {
  org?: string;
  today?: string;
  out?: string;
  text?: string;
  eml?: string;
  json?: boolean;
  lang?: string;
}

/** `kansa report`: render the mail of a day into files without sending it. */
export function registerReport(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("report")
    .description("Write the report mail of the day before --today (HTML, text, .eml) without sending it.")
    .option("--today <YYYY-MM-DD>", "the run's date in REPORT_TIMEZONE (default: today); the report covers the day before")
    .option("--out <file.html>", "write the HTML part here")
    .option("--text <file.txt>", "write the plain-text part here")
    .option("--eml <file.eml>", "write the whole message (as it would be sent: MAIL_FROM to SEND_TO_LIST) here")
    .option("--json", "print the report model (the JSON contract) on stdout")
    .option("--lang <en|ja>", "language of the mail (default: REPORT_LANG)")
    .option("--org <name>", "the organisation of KANSA_CONFIG (required when it describes several)")
    .action((options: ReportOptions) =>
      run(async () => {
        if (!options.out && !options.text && !options.eml && !options.json) {
          throw new InputError("kansa report needs somewhere to write: give --out FILE.html, --text FILE.txt, --eml FILE.eml or --json.");
        }
        if (options.lang !== undefined && options.lang !== "en" && options.lang !== "ja") {
          throw new InputError(`--lang must be en or ja, got "${options.lang}".`);
        }
        if (options.today !== undefined) parseDay(options.today);
        const context = createContext();
        const organisation = context.organisation(options.org);
        const { config } = organisation;
        const lang = (options.lang as "en" | "ja" | undefined) ?? config.reportLang;
        const from = options.eml ? formatAddress(parseAddress(config.mailFrom, "MAIL_FROM")) : "";
        const to = options.eml ? config.sendToList.map((entry) => formatAddress(parseAddress(entry, "SEND_TO_LIST"))) : [];
        const today = options.today ?? todayIn(config.reportTimezone);
        const model = await withDatabase(context, async (db) => {
          const scope = await organisationScope(db, organisation);
          return buildReport(db, config, today, scope ? { organisation: scope } : {});
        });
        const rendered = await renderReport(model, { lang });
        if (options.out) writeFileSync(options.out, rendered.html);
        if (options.text) writeFileSync(options.text, rendered.text);
        if (options.eml) writeFileSync(options.eml, await composeEml(rendered, from, to, model.day));
        if (options.json) printJson(model);
        const written = [options.out, options.text, options.eml].filter((f): f is string => Boolean(f));
        if (written.length > 0) process.stderr.write(`${rendered.subject}\nwritten: ${written.join(", ")}\n`);
        return 0;
      }),
    );
}
