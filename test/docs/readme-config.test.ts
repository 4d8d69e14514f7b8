import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { README_PATH, renderConfigTable, withConfigTable } from "../../scripts/config-table.ts";
import { configTable } from "../../src/sources/config.ts";

test("README.md's configuration table is the one config.ts declares (run `npm run docs:config`)", () => {
  const readme = readFileSync(README_PATH, "utf8");
  assert.equal(withConfigTable(readme), readme, "README.md is out of step with src/core/config.ts: run `npm run docs:config`");
});

test("the table lists every variable once, secrets marked", () => {
  const table = renderConfigTable();
  for (const row of configTable()) {
    const lines = table.split("\n").filter((l) => l.startsWith(`| \`${row.env}\``));
    assert.equal(lines.length, 1, row.env);
    assert.equal(lines[0]!.includes("(secret)"), row.secret, row.env);
  }
});
