import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../../src/core/paths.ts";

const readme = readFileSync(join(projectRoot, "README.md"), "utf8");

test("the README gives a newcomer's two commands", () => {
  assert.match(readme, /npm install && npm run demo/);
  assert.match(readme, /^npm test\b/m);
  const scripts = (JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  assert.ok(scripts.demo && scripts.test, "package.json has demo and test scripts");
});

test("every command of `kansa --help` is documented in the README", () => {
  const help = execFileSync(process.execPath, [join(projectRoot, "bin", "kansa.js"), "--help"], { encoding: "utf8" });
  const commands = [...help.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!).filter((name) => name !== "help");
  assert.ok(commands.length >= 10, `found ${commands.join(", ")}`);
  for (const name of commands) assert.match(readme, new RegExp(`\`kansa ${name}\\b`), `kansa ${name} is missing from README.md`);
});
