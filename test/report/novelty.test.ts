/**
 * Novelty is reported once (findings/novelty.ts): a first address, network, app, action or
 * unknown account that an earlier day of this month already showed is no longer a reason, and an
 * outlier whose only reasons no longer tell (that, an hour usual for the organisation, too little
 * history) is no finding. Through the store: a person's new address is a finding on the first
 * day it is used, not on the next.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { FindingReason, ReportModel } from "../../src/core/report-model.ts";
import type { Database } from "../../src/store/database.ts";
import { buildReport } from "../../src/report/build-report.ts";
import { freshReasons, isTelling, keysOf, seenSoFar, type SeenRow } from "../../src/report/findings/novelty.ts";
import { sourceEntry } from "../../src/sources/registry.ts";
import { event, officeMonth, openTestDatabase, store, testConfig } from "./fixtures.ts";

const row = (fields: Partial<SeenRow> = {}): SeenRow => ({ source: "kintone", tenant: "t", account: "Alice", address: "45.77.12.34", appId: "12", action: "login", ...fields });
const reason = (code: string, params: FindingReason["params"] = {}): FindingReason => ({ code, text: code, params });
const NEW = [reason("new-address", { ip: "45.77.12.34" }), reason("new-network", { network: "45.77.12.0/24" }), reason("new-app", { app: "12" }), reason("new-action-account", { action: "login" }), reason("unknown-account", { account: "Alice" })];

describe("novelty (pure)", () => {
  it("drops what an earlier day of the month showed for the same account, case-insensitively", () => {
    const seen = seenSoFar([row({ account: "alice" })]);
    assert.deepEqual(freshReasons(row(), NEW, seen).map((r) => r.code), []);
  });

  it("keeps it for another account, another tenant, another address in another network", () => {
    const seen = seenSoFar([row()]);
    assert.equal(freshReasons(row({ account: "bob" }), NEW, seen).length, NEW.length);
    assert.equal(freshReasons(row({ tenant: "other" }), NEW, seen).length, NEW.length);
    const elsewhere = freshReasons(row({ address: "91.203.5.6", appId: "13", action: "Record view" }), NEW, seen).map((r) => r.code);
    assert.deepEqual(elsewhere, ["new-address", "new-network", "new-app", "new-action-account"]);
  });

  it("a new address in a network seen this month is still a new address, not a new network", () => {
    const seen = seenSoFar([row({ address: "45.77.12.99" })]);
    assert.deepEqual(freshReasons(row(), NEW.slice(0, 2), seen).map((r) => r.code), ["new-address"]);
  });

  it("events without an account keep their reasons (a machine credential is keyed by its client)", () => {
    assert.deepEqual(keysOf(row({ account: "" })), []);
    assert.equal(freshReasons(row({ account: " " }), NEW, seenSoFar([row({ account: " " })])).length, NEW.length);
  });

  it("an hour usual for the organisation, too little history and rarity alone do not tell", () => {
    assert.equal(isTelling(reason("unusual-hour", { hours: 3, organisationUsual: true })), false);
    assert.equal(isTelling(reason("unusual-hour", { hours: 6 })), true);
    assert.equal(isTelling(reason("few-history")), false);
    assert.equal(isTelling(reason("rarity")), false);
    assert.equal(isTelling(reason("new-address", { ip: "45.77.12.34" })), true);
  });

  it("a first login of another kind or a first logout does not tell; a first import does", () => {
    const first = reason("new-action-account", { action: "slo" });
    assert.equal(isTelling(first, { isLogin: false, upkeep: true }), false);
    assert.equal(isTelling(first, { isLogin: true, upkeep: false }), false);
    assert.equal(isTelling(first, { isLogin: false, upkeep: false }), true);
    // Where it came from still tells.
    assert.equal(isTelling(reason("new-address", { ip: "45.77.12.34" }), { isLogin: false, upkeep: true }), true);
    // A first sign-in to another application does not; a first use of a console app (its records) does.
    assert.equal(isTelling(reason("new-app", { app: "XGoKZA8t" }), { isLogin: true, upkeep: false }), false);
    assert.equal(isTelling(reason("new-app", { app: "12" }), { isLogin: false, upkeep: false }), true);
  });

  it("the sources name their session upkeep: Auth0's logouts and silent authentication, the console's logout", () => {
    const upkeep = (source: string, action: string) => sourceEntry(source)!.isSessionUpkeep!({ source, tenant: "t", action, account: "a", ip: "", level: null, result: null, raw: {} } as never);
    assert.equal(upkeep("auth0", "slo"), true);
    assert.equal(upkeep("auth0", "ssa"), true);
    assert.equal(upkeep("auth0", "s"), false);
    assert.equal(upkeep("kintone", "Logout"), true);
    assert.equal(upkeep("kintone", "ログアウト"), true);
    assert.equal(upkeep("kintone", "login"), false);
  });
});

describe("novelty through the store", () => {
  let db: Database;
  before(async () => {
    db = await openTestDatabase();
    await store(db, [
      ...officeMonth("2026-10", 8),
      ...officeMonth("2026-11", 8, 2).filter((e) => e.occurredAt < new Date("2026-11-22T15:00:00Z")),
      // alice from an address and network nobody used, on the 20th and again on the 22nd; bob only on the 22nd.
      event("2026-11-20T10:00:00", { account: "alice", action: "login", isLogin: true, ip: "45.77.12.34", externalId: "alice-20" }),
      event("2026-11-22T10:00:00", { account: "alice", action: "login", isLogin: true, ip: "45.77.12.34", externalId: "alice-22" }),
      event("2026-11-22T10:05:00", { account: "bob", action: "login", isLogin: true, ip: "91.203.77.5", externalId: "bob-22" }),
    ]);
  });
  after(async () => db.close());

  const build = (today: string): Promise<ReportModel> => buildReport(db, testConfig({ FEATURE_SET: "profile" }), today, { now: new Date(`${today}T00:00:00Z`) });
  const findingOf = (report: ReportModel, externalId: string) => (report.findings ?? []).find((f) => f.events.some((e) => e.externalId === externalId));

  it("is a finding on the first day it occurs", async () => {
    const f = findingOf(await build("2026-11-21"), "alice-20");
    assert.ok(f, "alice's first use of 45.77.12.34 is a finding");
    assert.ok(f.reasonDetails.some((r) => r.code === "new-address" && r.params.ip === "45.77.12.34"), JSON.stringify(f.reasonDetails));
  });

  it("is no longer new on a later day of the month, while another person's first use is", async () => {
    const report = await build("2026-11-23");
    const alice = findingOf(report, "alice-22");
    assert.ok(!alice || !alice.reasonDetails.some((r) => r.code === "new-address" || r.code === "new-network"), JSON.stringify(alice?.reasonDetails));
    const bob = findingOf(report, "bob-22");
    assert.ok(bob, "bob's first use of 91.203.77.5 is a finding");
    assert.ok(bob.reasonDetails.some((r) => r.code === "new-address"));
  });
});
