/**
 * `npm run bench [-- NAME... [--option value]...]`: runs bench/*.bench.ts (each exports
 * `run(options): Promise<object>`) and prints one JSON document with every result. Targets are
 * measured here, never in tests. Words are bench names; `--name value` pairs (or a bare
 * `--flag`, read as "true") are passed to every bench run, e.g.
 * `npm run bench -- scale --people 2000 --db pglite`. A bench ignores options it does not know.
 */
import { readdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Options given on the command line after the bench names: `--people 2000` → { people: "2000" }. */
export type BenchOptions = Record<string, string>;

function parseArguments(args: string[]): { names: string[]; options: BenchOptions } {
  const names: string[] = [];
  const options: BenchOptions = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) {
      names.push(arg);
      continue;
    }
    const [key, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    const next = args[i + 1];
    if (inline !== undefined) options[key] = inline;
    else if (next !== undefined && !next.startsWith("--")) {
      options[key] = next;
      i++;
    } else options[key] = "true";
  }
  return { names, options };
}

const here = dirname(fileURLToPath(import.meta.url));
const { names: wanted, options } = parseArguments(process.argv.slice(2));
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, "")))
  .sort();
const unknown = wanted.filter((name) => !files.includes(`${name}.bench.ts`));
if (unknown.length > 0) {
  process.stderr.write(`bench: no bench named ${unknown.join(", ")} (bench/NAME.bench.ts)\n`);
  process.exit(2);
}

const results: Record<string, unknown> = {};
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, "");
  process.stderr.write(`bench: ${name}...\n`);
  const module = (await import(pathToFileURL(join(here, file)).href)) as { run: (options: BenchOptions) => Promise<unknown> };
  try {
    results[name] = await module.run(options);
  } catch (error) {
    results[name] = { error: (error as Error).message };
  }
}
const machine = { node: process.version, cpus: cpus().length, loadavg: loadavg().map((l) => Math.round(l * 100) / 100) };
process.stdout.write(`${JSON.stringify({ machine, options, results }, null, 2)}\n`);
