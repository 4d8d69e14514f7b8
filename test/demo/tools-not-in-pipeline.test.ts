/**
 * The emulators and the generator are tools (src/tools/), not a stage of the pipeline: the daily job,
 * the worker and the CLI never import them statically. `kansa emulate` loads them with a dynamic
 * import when it runs, so `kansa run` and the worker never load them.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { test } from "node:test";
import ts from "typescript";

const root = resolve(import.meta.dirname, "../..");
const tools = join(root, "src", "tools") + sep;

/** The relative specifiers of a file's static `import … from` and `export … from` declarations (type-only ones too). */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers.filter((s) => s.startsWith("./") || s.startsWith("../"));
}

function resolveSpecifier(from: string, specifier: string): string | null {
  const path = resolve(dirname(from), specifier);
  if (existsSync(path)) return path.endsWith(".ts") ? path : null;
  const typescript = path.replace(/\.js$/, ".ts");
  return existsSync(typescript) ? typescript : null;
}

/** Every project module reachable from `entry` through static imports, each mapped to the module that first imported it. */
function staticGraph(entry: string): Map<string, string | null> {
  const seen = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const specifier of staticImports(file)) {
      const target = resolveSpecifier(file, specifier);
      if (target === null || seen.has(target)) continue;
      seen.set(target, file);
      queue.push(target);
    }
  }
  return seen;
}

function chain(graph: Map<string, string | null>, file: string): string {
  const path: string[] = [];
  for (let at: string | null | undefined = file; at; at = graph.get(at)) path.unshift(relative(root, at));
  return path.join(" → ");
}

function toolsReached(entry: string): string[] {
  const graph = staticGraph(join(root, entry));
  return [...graph.keys()].filter((file) => file.startsWith(tools)).map((file) => chain(graph, file));
}

for (const entry of ["src/schedule/daily-job.ts", "src/schedule/worker.ts", "src/cli.ts"]) {
  test(`${entry} reaches no module under src/tools/ through static imports`, () => {
    assert.deepEqual(toolsReached(entry), []);
  });
}

test("the graph walker follows imports across folders and would see a tools module", () => {
  const cli = staticGraph(join(root, "src/cli.ts"));
  for (const known of ["src/cli/emulate.ts", "src/schedule/daily-job.ts", "src/core/config.ts"]) {
    assert.ok(cli.has(join(root, known)), `the walker should reach ${known} from src/cli.ts`);
  }
  // An emulator imports the generator: walking from it must report tools modules beyond itself.
  const reached = toolsReached("src/tools/auth0-emulator/serve.ts");
  assert.ok(reached.some((line) => line.includes("src/tools/generator/")), reached.join("\n"));
});
