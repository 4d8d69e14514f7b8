/**
 * Rendering the report mail: a full report (every section at the default cap of 50 entries)
 * in English and Japanese. Reports the median time per render (which includes the re-renders
 * that cut sections further to keep the HTML under Gmail's ~102 KB clipping size) and the sizes.
 */
import { renderReport } from "../src/mail/render-report.ts";
import { fullModel } from "../test/mail/fixtures.ts";

export async function run(): Promise<object> {
  const model = fullModel();
  const result: Record<string, unknown> = {};
  for (const lang of ["en", "ja"] as const) {
    await renderReport(model, { lang }); // warm-up (template compile, MJML components)
    const times: number[] = [];
    let html = 0;
    let text = 0;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const r = await renderReport(model, { lang });
      times.push(performance.now() - started);
      html = Buffer.byteLength(r.html);
      text = Buffer.byteLength(r.text);
    }
    times.sort((a, b) => a - b);
    result[lang] = { modelEntries: 250, medianMs: Math.round(times[2]!), htmlBytes: html, textBytes: text };
  }
  return result;
}
