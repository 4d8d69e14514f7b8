/**
 * One source is one folder: outside src/sources/<name>/ and the registry (and the emulators and
 * the generator, which are tools), no file of src/ names a source, in code or in comments. A
 * source's knowledge that leaks into a stage is found here, by file and line.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { ROOT } from "../helpers/cli.ts";
import { sourceNames } from "../../src/sources/registry.ts";

const SRC = join(ROOT, "src");

/**
 * Where a source may be named: its own folder, the registry, and the tools (the emulators and the
 * generator, under src/tools/, and `kansa emulate`, the emulators' command, which stays in src/cli/
 * so that the CLI loads the emulators only when it runs: see test/demo/tools-not-in-pipeline.test.ts).
 */
function allowed(path: string): boolean {
  if (path === "sources/registry.ts" || path === "cli/emulate.ts") return true;
  if (path.startsWith("tools/")) return true;
  return sourceNames().some((name) => path.startsWith(`sources/${name}/`));
}

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

/** "path:line: text" for every line outside the allowed places that names a registered source. */
function mentions(root = SRC): string[] {
  const pattern = new RegExp(sourceNames().map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "i");
  const found: string[] = [];
  for (const file of files(root)) {
    const path = relative(root, file);
    if (allowed(path)) continue;
    readFileSync(file, "utf8").split("\n").forEach((text, i) => {
      if (pattern.test(text)) found.push(`src/${path}:${i + 1}: ${text.trim().slice(0, 120)}`);
    });
  }
  return found;
}

test("the scan finds a source named outside its folder, and only there", () => {
  const root = mkdtempSync(join(tmpdir(), "kansa-scan-"));
  try {
    const [name] = sourceNames();
    const plant = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    plant("schedule/leak.ts", `// the ${name!.toUpperCase()} source needs this\nexport const x = 1;\n`);
    plant(`sources/${name}/own.ts`, `export const name = "${name}";\n`);
    plant("tools/emulator.ts", `export const name = "${name}";\n`);
    assert.deepEqual(mentions(root), [`src/schedule/leak.ts:1: // the ${name!.toUpperCase()} source needs this`]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test(
  "no file of src/ outside src/sources/<name>/, the registry and the tools names a source",
  () => {
    const found = mentions();
    assert.deepEqual(found, [], `\n${found.join("\n")}`);
  },
);
