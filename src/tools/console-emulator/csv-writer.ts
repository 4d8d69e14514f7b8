/**
 * The console's CSV download: UTF-8 with a BOM, a header row in the viewer's language, every
 * cell quoted (quotes doubled, so commas, quotes and newlines survive), CRLF line ends, rows
 * newest first as the audit log holds them.
 */
import { CONSOLE_COLUMNS, translateCell, type ConsoleLang, type EmulatedEntry } from "./audit-log.ts";

const BOM = "\uFEFF";
const TRANSLATED_COLUMNS = new Set(["Level", "Service"]);

function quote(value: string): string {
  return value.includes('"') ? `"${value.replaceAll('"', '""')}"` : `"${value}"`;
}

/** The CSV text in chunks of about `chunkRows` rows each (the first chunk starts with the BOM and header). */
export function* consoleCsvChunks(entries: readonly EmulatedEntry[], lang: ConsoleLang, extraColumns: readonly string[] = [], chunkRows = 2000): Generator<string> {
  const columns = [...CONSOLE_COLUMNS.map((c) => c.en), ...extraColumns];
  const translated = columns.map((c) => TRANSLATED_COLUMNS.has(c));
  const header = [...CONSOLE_COLUMNS.map((c) => (lang === "ja" ? c.ja : c.en)), ...extraColumns];
  let lines: string[] = [`${BOM}${header.map(quote).join(",")}\r\n`];
  const cells: string[] = new Array<string>(columns.length);
  for (const entry of entries) {
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i]!;
      const value = entry.cells[column] ?? "";
      cells[i] = quote(translated[i] ? translateCell(column, value, lang) : value);
    }
    lines.push(`${cells.join(",")}\r\n`);
    if (lines.length >= chunkRows) {
      yield lines.join("");
      lines = [];
    }
  }
  if (lines.length > 0) yield lines.join("");
}
