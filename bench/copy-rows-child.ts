/**
 * Child process of bench/import.bench.ts: reads and normalises a folder as `kansa import` does
 * and writes the normalised rows as CSV (the columns storeEvents writes) into a file, streamed,
 * so that PostgreSQL's own COPY of the same rows can be timed against the import. Prints one
 * JSON line with the number of rows.
 * Usage: node --import tsx bench/copy-rows-child.ts FOLDER OUT.csv
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { readFiles } from "../src/sources/files/index.ts";
import { definitionOf, fileFormats } from "../src/sources/registry.ts";
import { normalizeBatch } from "../src/normalize/index.ts";
import { loadConfig } from "../src/sources/config.ts";
import type { AuditEvent } from "../src/core/types.ts";

const [folder, out] = process.argv.slice(2);
if (!folder || !out) throw new Error("usage: copy-rows-child.ts FOLDER OUT.csv");
const config = { ...loadConfig({}), consoleTimezone: "Asia/Tokyo" };

/** A CSV line of an event for COPY (the same columns storeEvents writes). */
function csvLine(e: AuditEvent): string {
  const q = (v: string | null) => (v === null ? "" : `"${v.replace(/"/g, '""')}"`);
  return [
    q(e.source), q(e.tenant), q(e.externalId), e.occurredAt.toISOString(), q(e.account), q(e.action), q(e.ip), q(e.ipParsed),
    q(e.appId), q(e.appName), q(e.userAgent), q(e.level), q(e.result), String(e.isExport), String(e.isCritical),
    String(e.isLogin), String(e.isFailedLogin), q(JSON.stringify(e.raw).replace(/\\u0000/g, "")),
  ].join(",");
}

const stream = createWriteStream(out);
let rows = 0;
for await (const item of readFiles([folder], { formats: fileFormats(), config: {}, batchSize: 1000 })) {
  if (item.kind !== "batch") continue;
  let text = "";
  for (const event of normalizeBatch(item.batch, definitionOf(item.batch).normalize, config).events) {
    text += `${csvLine(event)}\n`;
    rows += 1;
  }
  if (!stream.write(text)) await once(stream, "drain");
}
stream.end();
await once(stream, "finish");
process.stdout.write(`${JSON.stringify({ rows })}\n`);
