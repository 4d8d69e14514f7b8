import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { appJson } from "../../scripts/app-json.ts";
import { configTable } from "../../src/core/config.ts";
import { projectRoot } from "../../src/core/paths.ts";

test("app.json is generated from the configuration declaration (run `npm run docs:app-json`)", () => {
  const onDisk = JSON.parse(readFileSync(join(projectRoot, "app.json"), "utf8"));
  assert.deepEqual(onDisk, appJson());
});

test("app.json offers every setting a user sets on Heroku, with its description", () => {
  const env = (appJson().env ?? {}) as Record<string, { description: string }>;
  for (const name of ["ANOMALY_LENGTH", "KINTONE_ADMIN_PW", "AUTH0_CLIENT_SECRET", "SEND_TO_LIST", "REPORT_TIMEZONE", "CRON_SCHEDULE"]) {
    assert.ok(env[name], `${name} missing from app.json`);
    assert.ok(env[name]!.description.length > 10);
  }
  // DATABASE_URL and the mail add-ons' variables are set by Heroku itself.
  assert.equal(env.DATABASE_URL, undefined);
  assert.equal(env.MAILGUN_SMTP_PASSWORD, undefined);
  assert.ok(Object.keys(env).length >= configTable().length - 8);
});

test("the Procfile migrates in the release phase and runs the worker", () => {
  const procfile = readFileSync(join(projectRoot, "Procfile"), "utf8");
  assert.match(procfile, /^release: .*db migrate$/m);
  assert.match(procfile, /^worker: .*worker$/m);
});
