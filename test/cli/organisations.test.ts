/**
 * Several organisations on one embedded database, through the command line: `kansa import`
 * needs --org and names each organisation's files after its own instances, a tenant belongs to
 * one organisation (claiming another's stores nothing), and each organisation's report, score
 * and status cover its own tenants only.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeSample } from "../../src/tools/generator/index.ts";
import type { ReportModel } from "../../src/core/report-model.ts";
import { cliEnv, runKansa } from "../helpers/cli.ts";

const CONFIG = {
  organisations: [
    {
      name: "acme", timezone: "Asia/Tokyo", lang: "en", sendTo: ["sec@acme.example"],
      sources: [{ type: "auth0", tenant: "acme-prod", domain: "http://127.0.0.1:9", clientId: "acme-client", clientSecretEnv: "ACME_AUTH0_SECRET" }],
    },
    {
      name: "beta", timezone: "Asia/Tokyo", lang: "ja", sendTo: ["soc@beta.example"],
      sources: [{ type: "kintone", tenant: "beta.cybozu.com", hostname: "http://127.0.0.1:9", adminId: "audit", passwordEnv: "BETA_CONSOLE_PW" }],
    },
  ],
};
const SECRETS = { ACME_AUTH0_SECRET: "acme-secret-Zq81hT", BETA_CONSOLE_PW: "beta-pw-Lk29vB" };

describe("kansa with two organisations (KANSA_CONFIG)", () => {
  let dir = "";
  let env: NodeJS.ProcessEnv;
  let sample: Awaited<ReturnType<typeof writeSample>>;
  const kansa = (...args: string[]) => runKansa(args, env);
  const events = async (org: string) => {
    const ran = await kansa("status", "--org", org, "--json");
    assert.equal(ran.code, 0, ran.stderr);
    return (JSON.parse(ran.stdout) as { sources: { source: string; tenant: string; events: number }[] }).sources;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "kansa-orgs-"));
    sample = await writeSample(join(dir, "sample"), { seed: 5, from: "2026-10-01", to: "2026-11-03", consolePerDay: 40, auth0PerDay: 30 });
    env = cliEnv({ KANSA_DATA_DIR: join(dir, "data"), KANSA_CONFIG: JSON.stringify(CONFIG), KANSA_NOW: "2026-11-03T01:00:00Z", LOG_LEVEL: "warn", ...SECRETS });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("asks which organisation files belong to, and names them after its instances", async () => {
    const unnamed = await kansa("import", join(dir, "sample", "auth0"));
    assert.equal(unnamed.code, 1);
    assert.match(unnamed.stderr, /KANSA_CONFIG describes 2 organisations \(acme, beta\): name one with --org NAME/);

    const acme = await kansa("import", "--org", "acme", join(dir, "sample", "auth0"));
    assert.equal(acme.code, 0, acme.stderr);
    const beta = await kansa("import", "--org", "beta", join(dir, "sample", "console"));
    assert.equal(beta.code, 0, beta.stderr);
    assert.deepEqual((await events("acme")).map((s) => [s.source, s.tenant, s.events]), [["auth0", "acme-prod", sample.auth0Events]]);
    assert.deepEqual((await events("beta")).map((s) => [s.source, s.tenant, s.events]), [["kintone", "beta.cybozu.com", sample.consoleRows]]);
    const text = await kansa("status");
    assert.match(text.stdout, /auth0 \/ acme-prod \(organisation acme\)/);
    assert.match(text.stdout, /kintone \/ beta.cybozu.com \(organisation beta\)/);
  });

  it("refuses another organisation's tenant before storing anything", async () => {
    const stolen = await kansa("import", "--org", "beta", "--tenant", "acme-prod", join(dir, "sample", "auth0"));
    assert.equal(stolen.code, 1);
    assert.match(stolen.stderr, /The auth0 tenant "acme-prod" belongs to organisation "acme", not "beta"/);
    assert.deepEqual((await events("beta")).map((s) => s.tenant), ["beta.cybozu.com"]);
    assert.equal((await events("acme"))[0]!.events, sample.auth0Events);
  });

  it("reports, scores and shows each organisation's own tenants only", async () => {
    for (const [org, tenant, other] of [["acme", "acme-prod", "beta.cybozu.com"], ["beta", "beta.cybozu.com", "acme-prod"]] as const) {
      const report = await kansa("report", "--org", org, "--today", "2026-11-03", "--json");
      assert.equal(report.code, 0, report.stderr);
      const model = JSON.parse(report.stdout) as ReportModel;
      assert.equal(model.organisation, org);
      assert.deepEqual(model.sources.map((s) => s.tenant), [tenant]);
      assert.ok((model.totalEvents ?? 0) > 0);
      assert.ok(!report.stdout.includes(other), `${org}'s report never names ${other}`);
      const score = await kansa("score", "--org", org, "--today", "2026-11-03");
      assert.equal(score.code, 0, score.stderr);
      const tenants = new Set(score.stdout.trim().split("\n").map((line) => (JSON.parse(line) as { tenant: string }).tenant));
      assert.deepEqual([...tenants], [tenant]);
    }
    const all = await kansa("status", "--json");
    assert.equal(all.code, 0, all.stderr);
    for (const [key, secret] of Object.entries(SECRETS)) assert.ok(!all.stdout.includes(secret) && !all.stderr.includes(secret), `${key} never shown`);
  });

  it("runs each organisation in turn with `kansa run`, one report each, naming its organisation", async () => {
    const ran = await kansa("run", "--no-mail", "--today", "2026-11-03");
    // Both sources point at a closed port: each collection fails, the reports are still built.
    assert.equal(ran.code, 1);
    assert.match(ran.stdout, /kansa report of acme for 2026-11-02/);
    assert.match(ran.stdout, /kansa report of beta for 2026-11-02/);
    for (const secret of Object.values(SECRETS)) assert.ok(!ran.stdout.includes(secret) && !ran.stderr.includes(secret));
  });
});
