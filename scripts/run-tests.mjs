#!/usr/bin/env node
// Runs node's test runner (through tsx) on test/**/*.test.ts, or on the files/folders given.
// `--unit` runs the unit tier instead: the folders and files listed in UNIT below.
// Node 20 does not expand globs in --test, so the files are listed here.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

// The unit tier (`npm run test:unit`, the developer's loop, under two minutes on two cores): pure
// tests and in-process emulators (some with a small in-memory PGlite). Left out, for `npm test`
// only: tests that start the kansa CLI or another process, Chromium, PostgreSQL, tmux or faketime,
// write big files, or exercise the embedded database itself (test/store, the mail outbox and
// delivery, pruning). A new test file in a listed folder joins the tier; one elsewhere joins it
// when its path is added here.
const UNIT = [
  "test/auth0/client.test.ts",
  "test/auth0/emulator.test.ts",
  "test/auth0/give-up.test.ts",
  "test/auth0/source.test.ts",
  "test/core",
  "test/demo/generator-anomalies.test.ts",
  "test/demo/generator-auth0.test.ts",
  "test/demo/generator-console.test.ts",
  "test/demo/generator-determinism.test.ts",
  "test/demo/generator-normalize.test.ts",
  "test/demo/tools-not-in-pipeline.test.ts",
  "test/detect",
  "test/docs/readme-config.test.ts",
  "test/heroku/app-json.test.ts",
  "test/kintone/emulator.test.ts",
  "test/mail/render.test.ts",
  "test/mail/settings.test.ts",
  "test/mail/tenant-bounds.test.ts",
  "test/mail/threshold.test.ts",
  "test/normalize",
  "test/profile",
  "test/report/alarms.test.ts",
  "test/report/classification.test.ts",
  "test/report/edge-cases.test.ts",
  "test/report/feature-set-plugin.test.ts",
  "test/report/generated-day.test.ts",
  "test/report/report.test.ts",
  "test/report/timezone.test.ts",
  "test/sources/console-csv-fuzz.test.ts",
  "test/sources/console-csv.test.ts",
  "test/sources/files.test.ts",
  "test/sources/import-tenants.test.ts",
  "test/sources/json-values-fuzz.test.ts",
  "test/sources/no-source-names.test.ts",
  "test/sources/settings.test.ts",
];

function collect(path) {
  if (statSync(path).isDirectory()) {
    return readdirSync(path).sort().flatMap((name) => collect(join(path, name)));
  }
  return path.endsWith(".test.ts") ? [path] : [];
}

const args = process.argv.slice(2);
const unit = args.includes("--unit");
const flags = args.filter((a) => a.startsWith("--") && a !== "--unit");
const paths = args.filter((a) => !a.startsWith("--"));
const files = (paths.length ? paths : unit ? UNIT : ["test"]).flatMap(collect);
if (files.length === 0) {
  console.error("No test files found.");
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...flags, ...files], { stdio: "inherit" });
process.exit(result.status ?? 1);
