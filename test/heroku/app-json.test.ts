import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { appJson } from "../../scripts/app-json.ts";
import { configTable } from "../../src/sources/config.ts";
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
  // Left out: the database's two, the mail add-ons' six, KANSA_NOW.
  assert.ok(Object.keys(env).length >= configTable().length - 9);
});

test("app.json asks the deployer for what only they can decide, with nothing filled in", () => {
  const env = (appJson().env ?? {}) as Record<string, { value?: string; required: boolean }>;
  for (const name of ["MAIL_FROM", "SEND_TO_LIST", "REPORT_TIMEZONE"]) {
    assert.equal(env[name]?.required, true, `${name} is required`);
    assert.equal(env[name]!.value, undefined, `${name} comes with no value (kansa's own default would be accepted unread)`);
  }
  assert.equal(env.KANSA_NOW, undefined, "a pretended clock is not offered on a dyno");
});

/**
 * Heroku's Node buildpack runs commands with PATH `…:$HOME/bin:$HOME/node_modules/.bin` and
 * links no bin of the app itself: `kansa` is found only as an executable bin/kansa.
 */
test("the Procfile, app.json's postdeploy and the README's Heroku section all run `kansa …`", () => {
  const procfile = readFileSync(join(projectRoot, "Procfile"), "utf8");
  assert.match(procfile, /^release: kansa db migrate$/m);
  assert.match(procfile, /^worker: kansa worker$/m);
  assert.equal((appJson().scripts as { postdeploy: string }).postdeploy, "kansa db migrate");
  const manifest = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { bin: Record<string, string> };
  assert.deepEqual(manifest.bin, { kansa: "bin/kansa" });
  const bin = join(projectRoot, "bin", "kansa");
  assert.ok(statSync(bin).mode & 0o111, "bin/kansa is executable");
  assert.match(readFileSync(bin, "utf8"), /^#!\/usr\/bin\/env node\n/);

  const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
  const heroku = readme.slice(readme.indexOf("## Running on Heroku"), readme.indexOf("\n## ", readme.indexOf("## Running on Heroku") + 1));
  assert.ok(heroku.length > 200, "the README has a Heroku section");
  assert.doesNotMatch(heroku, /dist\/src\/cli\.js/, "the Heroku section runs `kansa`, not the compiled file by path");
  assert.match(heroku, /`release: kansa db migrate`/);
  assert.match(heroku, /add `kansa run`/);
  assert.match(heroku, /`heroku run kansa backfill /);
});
