/**
 * `npm run bench [-- NAME...]`: runs bench/*.bench.ts (each exports `run(): Promise<object>`)
 * and prints one JSON document with every result. Targets are measured here, never in tests.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, "")))
  .sort();

const results: Record<string, unknown> = {};
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, "");
  process.stderr.write(`bench: ${name}...\n`);
  const module = (await import(pathToFileURL(join(here, file)).href)) as { run: () => Promise<unknown> };
  try {
    results[name] = await module.run();
  } catch (error) {
    results[name] = { error: (error as Error).message };
  }
}
process.stdout.write(`${JSON.stringify({ machine: { node: process.version, cpus: (await import("node:os")).cpus().length }, results }, null, 2)}\n`);
