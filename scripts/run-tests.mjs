#!/usr/bin/env node
// Runs node's test runner (through tsx) on test/**/*.test.ts, or on the files/folders given.
// Node 20 does not expand globs in --test, so the files are listed here.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function collect(path) {
  if (statSync(path).isDirectory()) {
    return readdirSync(path).sort().flatMap((name) => collect(join(path, name)));
  }
  return path.endsWith(".test.ts") ? [path] : [];
}

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith("--"));
const paths = args.filter((a) => !a.startsWith("--"));
const files = (paths.length ? paths : ["test"]).flatMap(collect);
if (files.length === 0) {
  console.error("No test files found.");
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...flags, ...files], { stdio: "inherit" });
process.exit(result.status ?? 1);
