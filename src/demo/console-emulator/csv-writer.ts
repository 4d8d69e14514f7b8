/**
 * The console's CSV download: UTF-8 with a BOM, a header row in the viewer's language, every
 * cell quoted (quotes doubled, so commas, quotes and newlines survive), CRLF line ends, rows
 * newest first as the audit log holds them.
 */
import { CONSOLE_COLUMNS, translateCell, type ConsoleLang, type EmulatedEntry } from "./audit-log.ts";

const BOM = "\uFEFF";

function quote(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** The CSV text in chunks of about `chunkRows` rows each (the first chunk starts with the BOM and header). */
export function* consoleCsvChunks(entries: readonly EmulatedEntry[], lang: ConsoleLang, extraColumns: readonly string[] = [], chunkRows = 2000): Generator<string> {
  const columns = [...CONSOLE_COLUMNS.map((c) => c.en), ...extraColumns];
  const header = [...CONSOLE_COLUMNS.map((c) => (lang === "ja" ? c.ja : c.en)), ...extraColumns];
  let chunk = `${BOM}${header.map(quote).join(",")}\r\n`;
  let count = 0;
  for (const entry of entries) {
    let line = "";
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i]!;
      if (i > 0) line += ",";
      line += quote(translateCell(column, entry.cells[column] ?? "", lang));
    }
    chunk += `${line}\r\n`;
    if (++count % chunkRows === 0) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk !== "") yield chunk;
}
