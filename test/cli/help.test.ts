/**
 * The command line's own texts: `kansa --version`, and every command's `--help`, where each
 * option states its default once (commander appends "(default: …)" to an option given a default
 * value; a description that says its default too would print it twice).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { projectRoot } from "../../src/core/paths.ts";

const execFileAsync = promisify(execFile);
/** The source through tsx: a dist/ left in the working copy would be stale. */
const bin = join(projectRoot, "bin", "kansa.js");

async function kansa(args: string[]): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, [bin, ...args], { encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  return stdout;
}

/** The lines of one section ("Options:", "Commands:") of a help text, up to the next blank line. */
function section(help: string, title: string): string[] {
  const lines = help.split("\n");
  const start = lines.indexOf(title);
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && line.trim() === "");
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** Each entry of a section as one line: an entry starts at two spaces, its wrapped lines are indented further. */
function entries(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (/^ {2}\S/.test(line) || out.length === 0) out.push(line.trim());
    else out[out.length - 1] += ` ${line.trim()}`;
  }
  return out;
}

/** `[]` for kansa itself, then every command and subcommand, with its help text. */
async function everyHelp(): Promise<Map<string, string>> {
  const helps = new Map<string, string>();
  let level: string[][] = [[]];
  while (level.length > 0) {
    const texts = await Promise.all(level.map((path) => kansa([...path, "--help"])));
    const next: string[][] = [];
    level.forEach((path, i) => {
      helps.set(path.join(" "), texts[i]!);
      for (const entry of entries(section(texts[i]!, "Commands:"))) {
        const name = entry.split(/\s/)[0]!;
        if (name !== "help") next.push([...path, name]);
      }
    });
    level = next;
  }
  return helps;
}

test("kansa --version prints package.json's version", async () => {
  const { version } = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { version: string };
  assert.match(version, /^\d+\.\d+\.\d+/);
  assert.equal(await kansa(["--version"]), `${version}\n`);
  assert.equal(await kansa(["-V"]), `${version}\n`);
});

test("every command's --help states each option's default once", { timeout: 180_000 }, async () => {
  const helps = await everyHelp();
  for (const name of ["", "run", "backfill", "db migrate", "emulate console", "emulate auth0", "report", "score"]) {
    assert.ok(helps.has(name), `kansa ${name} --help was read (found: ${[...helps.keys()].join(", ")})`);
  }
  const twice: string[] = [];
  let defaults = 0;
  for (const [command, help] of helps) {
    for (const entry of entries(section(help, "Options:"))) {
      const count = entry.match(/\bdefault:/gi)?.length ?? 0;
      defaults += count;
      if (count > 1) twice.push(`kansa ${command}: ${entry}`);
    }
  }
  assert.ok(defaults > 20, `the options' defaults were found (${defaults})`);
  assert.deepEqual(twice, [], "options whose help states a default twice");
});
