/**
 * `npm run docs:app-json`: writes app.json (the Heroku Button manifest) from the settings' declarations
 * (core's and each registered source's), so every variable appears with its description and default.
 * test/heroku/app-json.test.ts fails when app.json is out of step.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { configTable } from "../src/sources/config.ts";
import { projectRoot } from "../src/core/paths.ts";

/**
 * Variables Heroku's add-ons set themselves, or that make no sense on a dyno (the embedded
 * database's folder; KANSA_NOW, a pretended clock for tests and replays).
 */
const SET_BY_HEROKU = new Set([
  "DATABASE_URL", "KANSA_DATA_DIR", "KANSA_NOW",
  "MAILGUN_SMTP_SERVER", "MAILGUN_SMTP_PORT", "MAILGUN_SMTP_LOGIN", "MAILGUN_SMTP_PASSWORD",
  "SENDGRID_USERNAME", "SENDGRID_PASSWORD",
]);

/** Values that differ from kansa's own defaults on Heroku. */
const HEROKU_VALUES: Record<string, string> = {
  CHROMIUM_PATH: "/app/.chrome-for-testing/chrome-linux64/chrome",
};

/**
 * Variables the deployer must decide: asked with no value filled in (kansa's own defaults,
 * a sender at localhost and UTC, would be accepted unread and be wrong for almost everyone).
 */
const REQUIRED = new Set(["SEND_TO_LIST", "MAIL_FROM", "REPORT_TIMEZONE"]);

export function appJson(): Record<string, unknown> {
  const env: Record<string, { description: string; value?: string; required: boolean }> = {};
  for (const row of configTable()) {
    if (SET_BY_HEROKU.has(row.env)) continue;
    const value = REQUIRED.has(row.env) ? "" : (HEROKU_VALUES[row.env] ?? row.defaultText);
    env[row.env] = {
      description: row.description,
      ...(value !== "" && !value.startsWith("value of ") ? { value } : {}),
      required: REQUIRED.has(row.env),
    };
  }
  return {
    name: "kansa",
    description: "Daily audit-log report for Kintone-style consoles and Auth0: exports, critical events, late-night logins and statistical outliers.",
    keywords: ["audit", "security", "kintone", "auth0", "mahalanobis"],
    stack: "heroku-24",
    buildpacks: [{ url: "heroku-community/chrome-for-testing" }, { url: "heroku/nodejs" }],
    formation: { worker: { quantity: 0, size: "basic" } },
    addons: [
      { plan: "heroku-postgresql:essential-0" },
      { plan: "scheduler:standard" },
      { plan: "mailgun:starter" },
    ],
    scripts: { postdeploy: "kansa db migrate" },
    env,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(join(projectRoot, "app.json"), `${JSON.stringify(appJson(), null, 2)}\n`);
  console.log("Wrote app.json");
}
