/**
 * Settings are declared where they belong: core's generic ones in src/core/config.ts, each
 * source's in its folder; loadConfig reads them all in one pass, and a variable declared twice is
 * refused rather than read by whichever declaration came last.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { coreSettings, loadSettings, num, settingRows } from "../../src/core/config.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { configTable, loadConfig } from "../../src/sources/config.ts";
import { sourceRegistry } from "../../src/sources/registry.ts";

test("each registered source's settings are read with core's, and a bad value names its variable", () => {
  const config = loadConfig({ AUTH0_RETRY_BUDGET: "5", KINTONE_DOWNLOAD_CAP: "10", RETENTION_DAYS: "40" });
  assert.equal(config.auth0RetryBudget, 5);
  assert.equal(config.kintoneDownloadCap, 10);
  assert.equal(config.retentionDays, 40);
  assert.throws(() => loadConfig({ KINTONE_DOWNLOAD_CAP: "lots" }), /KINTONE_DOWNLOAD_CAP must be an integer/);
});

test("the configuration table lists core's settings, then each source's own, each once", () => {
  const rows = configTable().map((row) => row.env);
  const core = Object.values(coreSettings).map((setting) => setting.env);
  const sources = sourceRegistry.flatMap((definition) => Object.values(definition.settings).map((setting) => setting.env));
  assert.deepEqual(rows, [...core, ...sources]);
  assert.equal(new Set(rows).size, rows.length);
  assert.ok(sources.includes("AUTH0_CRITICAL_TYPES") && sources.includes("EXPORT_ACTION_PATTERN"));
  assert.ok(!core.includes("AUTH0_CRITICAL_TYPES") && !core.includes("KINTONE_HOSTNAME"));
});

test("a variable declared twice is refused", () => {
  const again = { retention: num("RETENTION_DAYS", 1, "A second declaration.", "Database") };
  assert.throws(() => loadSettings({}, [again]), (error: unknown) => error instanceof ConfigError && /RETENTION_DAYS \(retention\) is declared twice/.test(error.message));
  assert.throws(() => settingRows([{ retentionDays: num("OTHER_DAYS", 1, "Same key.", "Database") }]), /declared twice/);
});
