/**
 * KANSA_CONFIG → organisations (src/sources/organisations.ts): the single-organisation path is
 * unchanged; a document (JSON text or a file) gives each organisation its settings and source
 * instances, nothing of the environment's source variables or of another instance leaks into
 * one, and every bad document is one sentence naming KANSA_CONFIG, the organisation, the source
 * and the field, never quoting a secret. Pure: no network, no database.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Env } from "../../src/core/config.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { redactSecrets } from "../../src/core/secrets.ts";
import { loadConfig } from "../../src/sources/config.ts";
import { loadOrganisations, selectOrganisation, type Organisation } from "../../src/sources/organisations.ts";

const ACME_PW = "acme-console-pw-5f2c";
const ACME_SECRET = "acme-auth0-secret-91ab";
const BETA_SECRET = "beta-auth0-secret-7d3e";

/** A two-organisation document: acme (a console and two Auth0 tenants), beta (one Auth0 tenant). */
function twoOrganisations(): object {
  return {
    organisations: [
      {
        name: "acme", timezone: "Asia/Tokyo", lang: "ja", sendTo: ["sec@acme.example", "ciso@acme.example"],
        detection: { anomalyLength: 8, featureSet: "classic", auth0CriticalTypes: ["sapi", "fp"], lateNightWindow: "01:00-04:00" },
        sources: [
          { type: "kintone", tenant: "acme.cybozu.com", hostname: "https://acme.cybozu.com", adminId: "audit", passwordEnv: "ACME_KINTONE_PW", consoleTimezone: "Europe/Paris", downloadCap: 500 },
          { type: "auth0", tenant: "acme-prod", domain: "acme.jp.auth0.com", clientId: "acme-client", clientSecretEnv: "ACME_AUTH0_SECRET" },
          { type: "auth0", tenant: "acme-dev", domain: "http://127.0.0.1:4001", clientId: "acme-dev-client", clientSecretEnv: "ACME_AUTH0_SECRET", startDays: 7 },
        ],
      },
      {
        name: "beta", sendTo: ["soc@beta.example"],
        sources: [{ type: "auth0", domain: "beta.eu.auth0.com", clientId: "beta-client", clientSecretEnv: "BETA_AUTH0_SECRET" }],
      },
    ],
  };
}

const secrets: Env = { ACME_KINTONE_PW: ACME_PW, ACME_AUTH0_SECRET: ACME_SECRET, BETA_AUTH0_SECRET: BETA_SECRET };

function load(document: unknown, extra: Env = {}): Organisation[] {
  return loadOrganisations({ ...secrets, ...extra, KANSA_CONFIG: typeof document === "string" ? document : JSON.stringify(document) });
}

/** The ConfigError message `document` raises (asserting that it raises one). */
function problem(document: unknown, extra: Env = {}): string {
  try {
    load(document, extra);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `not a ConfigError: ${String(error)}`);
    return error.message;
  }
  assert.fail("no error");
}

/** twoOrganisations() with `change` applied to a copy. */
function changed(change: (doc: { organisations: Record<string, unknown>[] }) => void): object {
  const doc = structuredClone(twoOrganisations()) as { organisations: Record<string, unknown>[] };
  change(doc);
  return doc;
}

function sourcesOf(doc: { organisations: Record<string, unknown>[] }, index: number): Record<string, unknown>[] {
  return doc.organisations[index]!.sources as Record<string, unknown>[];
}

function assertTwoOrganisations(organisations: Organisation[]): void {
  assert.deepEqual(organisations.map((o) => o.name), ["acme", "beta"]);
  assert.ok(organisations.every((o) => o.configured));
  const [acme, beta] = organisations as [Organisation, Organisation];
  assert.deepEqual(acme.sources.map((s) => [s.source.name, s.source.tenant]), [["kintone", "acme.cybozu.com"], ["auth0", "acme-prod"], ["auth0", "acme-dev"]]);
  assert.deepEqual(beta.sources.map((s) => [s.source.name, s.source.tenant]), [["auth0", "beta.eu.auth0.com"]]);
  assert.equal(acme.sources[0]!.config.kintoneAdminPw, ACME_PW);
  assert.equal(acme.sources[1]!.config.auth0ClientSecret, ACME_SECRET);
  assert.equal(beta.sources[0]!.config.auth0ClientSecret, BETA_SECRET);
  assert.equal(acme.sources[2]!.source.resume.kind === "cursor" && acme.sources[2]!.source.resume.startDays, 7);
}

test("without KANSA_CONFIG, the single-organisation variables are one organisation named default, as before", () => {
  const env: Env = { AUTH0_DOMAIN: "solo.eu.auth0.com", AUTH0_CLIENT_ID: "solo", AUTH0_CLIENT_SECRET: "solo-secret-0042", REPORT_TIMEZONE: "Asia/Tokyo", KANSA_CONFIG: "  " };
  const organisations = loadOrganisations(env);
  assert.equal(organisations.length, 1);
  const [only] = organisations as [Organisation];
  assert.equal(only.name, "default");
  assert.equal(only.configured, false);
  assert.deepEqual(only.config, loadConfig(env));
  assert.deepEqual(only.sources.map((s) => [s.source.name, s.source.tenant]), [["auth0", "solo.eu.auth0.com"]]);
  assert.equal(only.sources[0]!.config, only.config);
  assert.equal(selectOrganisation(organisations, undefined), only);
  assert.equal(selectOrganisation(organisations, "default"), only);
  assert.throws(() => selectOrganisation(organisations, "acme"), /--org acme: KANSA_CONFIG is not set, so the environment describes one organisation, "default"/);
});

test("a two-organisation KANSA_CONFIG as JSON text", () => {
  const organisations = load(twoOrganisations());
  assertTwoOrganisations(organisations);
  assert.equal(selectOrganisation(organisations, "beta").name, "beta");
  assert.throws(() => selectOrganisation(organisations, undefined), /describes 2 organisations \(acme, beta\): name one with --org NAME/);
  assert.throws(() => selectOrganisation(organisations, "gamma"), /--org gamma: no such organisation; KANSA_CONFIG describes acme, beta\./);
});

test("a two-organisation KANSA_CONFIG from a file (a byte-order mark is allowed)", () => {
  const dir = mkdtempSync(join(tmpdir(), "kansa-orgs-"));
  try {
    const path = join(dir, "kansa.json");
    writeFileSync(path, `\uFEFF${JSON.stringify(twoOrganisations(), null, 2)}\n`);
    assertTwoOrganisations(loadOrganisations({ ...secrets, KANSA_CONFIG: path }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the organisation's time zone, language, recipients and detection settings reach its config and its instances'", () => {
  const [acme, beta] = load(twoOrganisations(), { REPORT_LANG: "en", ANOMALY_LENGTH: "12", TARGET_FPR: "0.01" }) as [Organisation, Organisation];
  for (const config of [acme.config, ...acme.sources.map((s) => s.config)]) {
    assert.equal(config.reportTimezone, "Asia/Tokyo");
    assert.equal(config.reportLang, "ja");
    assert.deepEqual(config.sendToList, ["sec@acme.example", "ciso@acme.example"]);
    assert.equal(config.anomalyLength, 8);
    assert.equal(config.featureSet, "classic");
    assert.deepEqual(config.auth0CriticalTypes, ["sapi", "fp"]);
    assert.equal(config.lateNightWindow.text, "01:00-04:00");
    assert.equal(config.targetFpr, 0.01, "a setting the organisation does not set is the environment's");
  }
  // beta sets none of them: the environment's, else the defaults.
  assert.equal(beta.config.reportTimezone, "UTC");
  assert.equal(beta.config.reportLang, "en");
  assert.deepEqual(beta.config.sendToList, ["soc@beta.example"]);
  assert.equal(beta.config.anomalyLength, 12);
  assert.equal(beta.config.featureSet, "profile");
});

test("an instance's own fields reach its config only: the console time zone, the download cap", () => {
  const [acme] = load(twoOrganisations()) as [Organisation];
  const [console, prod, dev] = acme.sources as [Organisation["sources"][0], Organisation["sources"][0], Organisation["sources"][0]];
  assert.equal(console.config.consoleTimezone, "Europe/Paris");
  assert.equal(console.config.kintoneDownloadCap, 500);
  assert.equal(prod.config.kintoneDownloadCap, 100000);
  // Without its own, the console time zone is the organisation's report time zone.
  const [plain] = load(changed((doc) => { delete sourcesOf(doc, 0)[0]!.consoleTimezone; })) as [Organisation];
  assert.equal(plain.sources[0]!.config.consoleTimezone, "Asia/Tokyo");
  // One instance's fields never reach another's, nor the organisation's.
  assert.equal(prod.config.kintoneHostname, undefined);
  assert.equal(prod.config.auth0Domain, "acme.jp.auth0.com");
  assert.equal(dev.config.auth0Domain, "http://127.0.0.1:4001");
  assert.equal(dev.config.auth0ClientId, "acme-dev-client");
  assert.equal(acme.config.kintoneHostname, undefined);
  assert.equal(acme.config.auth0Domain, undefined);
  assert.equal(acme.config.kintoneAdminPw, undefined);
});

test("with KANSA_CONFIG, the environment's single-organisation source variables are refused, and empty ones never leak", () => {
  assert.equal(
    problem(twoOrganisations(), { KINTONE_HOSTNAME: "leak.cybozu.com", AUTH0_CLIENT_SECRET: "leaked-secret-3141" }),
    "KANSA_CONFIG is set, so AUTH0_CLIENT_SECRET and KINTONE_HOSTNAME are not used: move them into KANSA_CONFIG's sources and unset them.",
  );
  assert.equal(problem(twoOrganisations(), { CONSOLE_TIMEZONE: "UTC" }), "KANSA_CONFIG is set, so CONSOLE_TIMEZONE is not used: move it into KANSA_CONFIG's sources and unset it.");
  // Set but empty (an app.json placeholder): unused, and no instance sees it.
  const [acme, beta] = load(twoOrganisations(), { KINTONE_TENANT: "", AUTH0_TENANT: " " }) as [Organisation, Organisation];
  assert.equal(beta.sources[0]!.source.tenant, "beta.eu.auth0.com");
  assert.equal(acme.sources[0]!.config.kintoneTenant, "acme.cybozu.com");
});

test("a secret named by a variable that is not set", () => {
  assert.equal(
    problem(twoOrganisations(), { ACME_AUTH0_SECRET: undefined }),
    'KANSA_CONFIG: organisation "acme", source 2 (auth0 "acme-prod"), field clientSecretEnv: the environment variable ACME_AUTH0_SECRET is not set.',
  );
  assert.equal(
    problem(changed((doc) => { sourcesOf(doc, 1)[0]!.clientSecretEnv = "not a name"; })),
    "KANSA_CONFIG: organisation \"beta\", source 1 (auth0), field clientSecretEnv: must be the name of an environment variable (letters, digits and _).",
  );
});

test("a secret written in the document is refused without quoting it", () => {
  const inline = "inline-secret-value-2718";
  const message = problem(changed((doc) => {
    const source = sourcesOf(doc, 0)[0]!;
    delete source.passwordEnv;
    source.password = inline;
  }));
  assert.equal(message, 'KANSA_CONFIG: organisation "acme", source 1 (kintone "acme.cybozu.com"), field password: is a secret, so it is never written in KANSA_CONFIG: set passwordEnv to the name of the environment variable that holds it.');
  assert.ok(!message.includes(inline));
  // And it is redacted from anything logged later.
  assert.equal(redactSecrets(`got ${inline}`), "got ***");
  const proxy = problem(changed((doc) => { sourcesOf(doc, 0)[0]!.proxyUrl = "http://user:proxy-pw-1618@proxy.example:8080"; }));
  assert.match(proxy, /field proxyUrl: is a secret/);
  assert.ok(!proxy.includes("proxy-pw-1618"));
});

test("no error quotes a secret: malformed JSON around one, a bad secret read from a variable", () => {
  const json = `{"organisations": [{"name": "acme", "sources": [{"type": "kintone", "password": hunter2-in-json}]}]}`;
  const message = problem(json);
  assert.ok(!message.includes("hunter2"), message);
  assert.equal(message, "KANSA_CONFIG: invalid JSON: Unexpected token 'h'.");
  // A short text is quoted whole by JSON.parse; a long one around the error: neither is repeated.
  assert.equal(problem(`{"organisations": [{"password": hunter2}]}`), "KANSA_CONFIG: invalid JSON: Unexpected token 'h'.");
  const totp = "not-base32-totp-secret-1!";
  const bad = problem(changed((doc) => { sourcesOf(doc, 0)[0]!.totpSecretEnv = "ACME_TOTP"; }), { ACME_TOTP: totp });
  assert.match(bad, /^KANSA_CONFIG: organisation "acme", source 1 \(kintone "acme.cybozu.com"\), field totpSecretEnv: must be the base32 secret key/);
  assert.ok(!bad.includes(totp) && !bad.includes("ACME_TOTP="), bad);
});

test("invalid JSON names KANSA_CONFIG, the file, and the position as line and column", () => {
  assert.equal(problem('{"organisations": [}'), "KANSA_CONFIG: invalid JSON: Unexpected token '}'.");
  assert.equal(problem('{"organisations": [],\n  "x" 1}'), "KANSA_CONFIG: invalid JSON at line 2, column 7 (position 28): Unexpected number.");
  assert.equal(problem('{"organisations": ['), "KANSA_CONFIG: invalid JSON at line 1, column 20 (position 19): Unexpected end of the text.");
  const dir = mkdtempSync(join(tmpdir(), "kansa-orgs-"));
  try {
    const path = join(dir, "bad.json");
    writeFileSync(path, '{\n  "organisations": [\n    {"name": "acme",}\n  ]\n}\n');
    assert.equal(problem(path), `KANSA_CONFIG (${path}): invalid JSON at line 3, column 21 (position 43): Expected double-quoted property name.`);
    const missing = join(dir, "missing.json");
    assert.equal(problem(missing), `KANSA_CONFIG: could not read the file ${missing}: no such file or directory (ENOENT).`);
    assert.equal(problem(dir), `KANSA_CONFIG: could not read the file ${dir}: illegal operation on a directory (EISDIR).`);
    // Errors in a file's document name the file too.
    writeFileSync(path, JSON.stringify({ organisations: [{ name: "acme", colour: "red" }] }));
    assert.equal(problem(path), `KANSA_CONFIG (${path}): organisation "acme", field colour: is not an organisation field; they are name, timezone, lang, sendTo, detection and sources.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the document's shape: its one field, the organisations' names and fields", () => {
  assert.equal(problem("[]"), "KANSA_CONFIG: could not read the file []: no such file or directory (ENOENT).");
  assert.equal(problem({ orgs: [] }), 'KANSA_CONFIG: unknown field "orgs"; the document\'s one field is "organisations".');
  assert.equal(problem({ organisations: {} }), "KANSA_CONFIG: field organisations: must be an array of organisations.");
  assert.equal(problem({ organisations: [] }), "KANSA_CONFIG: field organisations: lists no organisation.");
  assert.equal(problem({ organisations: [{ name: "a" }, 3] }), "KANSA_CONFIG: organisation 2: must be a JSON object.");
  assert.equal(problem({ organisations: [{ name: "a" }, { sources: [] }] }), "KANSA_CONFIG: organisation 2, field name: is missing; every organisation has a name.");
  assert.equal(problem({ organisations: [{ name: "a b" }] }), 'KANSA_CONFIG: organisation 1, field name: must be 1 to 64 letters, digits, ".", "_" or "-", got "a b".');
  assert.equal(problem({ organisations: [{ name: "a" }, { name: "b" }, { name: "a" }] }), 'KANSA_CONFIG: organisation 3, field name: "a" is already the name of organisation 1; each organisation\'s name is its own.');
  assert.equal(problem({ organisations: [{ name: "a", sendTo: "x@a.example" }] }), 'KANSA_CONFIG: organisation "a", field sendTo: must be an array of addresses (strings without ","), got "x@a.example".');
  assert.equal(problem({ organisations: [{ name: "a", sources: {} }] }), 'KANSA_CONFIG: organisation "a", field sources: must be an array of source instances.');
  assert.equal(
    problem({ organisations: [{ name: "a", detection: { anomalyLenght: 3 } }] }),
    'KANSA_CONFIG: organisation "a", field detection.anomalyLenght: is not a detection setting; they are featureSet, anomalyLength, targetFpr, minTailEvents, minBaselineEvents, minProfileDays, minProfileEvents, lateNightWindow, auth0CriticalTypes, auth0CriticalSapiPaths, auth0Severity, exportActionPattern and consoleSeverity.',
  );
  assert.equal(problem({ organisations: [{ name: "a", detection: { anomalyLength: { high: 3 } } }] }), 'KANSA_CONFIG: organisation "a", field detection.anomalyLength: must be a string, a number, true or false, or an array of strings, got {"high":3}.');
  // An organisation without sources is allowed (its report says it has none).
  assert.deepEqual(load({ organisations: [{ name: "quiet" }] }).map((o) => [o.name, o.sources.length]), [["quiet", 0]]);
});

test("a setting's own parse error is re-worded to name the field", () => {
  assert.equal(
    problem(changed((doc) => { doc.organisations[0]!.timezone = "Mars/Olympus"; })),
    'KANSA_CONFIG: organisation "acme", field timezone: must be an IANA time zone such as Asia/Tokyo or UTC, got "Mars/Olympus".',
  );
  assert.equal(
    problem(changed((doc) => { doc.organisations[1]!.lang = "fr"; })),
    'KANSA_CONFIG: organisation "beta", field lang: must be one of en, ja, got "fr".',
  );
  assert.equal(
    problem(changed((doc) => { (doc.organisations[0]!.detection as Record<string, unknown>).anomalyLength = -1; })),
    'KANSA_CONFIG: organisation "acme", field detection.anomalyLength: must be a number ≥ 0, got "-1".',
  );
  assert.equal(
    problem(changed((doc) => { sourcesOf(doc, 0)[0]!.downloadCap = "lots"; })),
    'KANSA_CONFIG: organisation "acme", source 1 (kintone "acme.cybozu.com"), field downloadCap: must be an integer, got "lots".',
  );
  assert.equal(
    problem(changed((doc) => { sourcesOf(doc, 0)[1]!.domain = "ftp://acme.example"; })),
    'KANSA_CONFIG: organisation "acme", source 2 (auth0 "acme-prod"), field domain: must be an http:// or https:// URL, got a ftp: URL.',
  );
  assert.equal(
    problem(changed((doc) => { sourcesOf(doc, 0)[0]!.hostname = "https://u:p@acme.cybozu.com"; })),
    'KANSA_CONFIG: organisation "acme", source 1 (kintone "acme.cybozu.com"), field hostname: must not carry credentials; set adminId and passwordEnv.',
  );
  // The environment's own bad value is the environment's error, unchanged.
  assert.equal(problem(twoOrganisations(), { RETENTION_DAYS: "soon" }), 'RETENTION_DAYS must be an integer, got "soon".');
});

test("a source instance: its type, its fields, what it lacks", () => {
  const with0 = (source: Record<string, unknown>) => ({ organisations: [{ name: "acme", sources: [source] }] });
  assert.equal(problem(with0({ domain: "x.auth0.com" })), 'KANSA_CONFIG: organisation "acme", source 1, field type: is missing; it names the source, one of auth0 and kintone.');
  assert.equal(problem(with0({ type: "okta", tenant: "acme" })), 'KANSA_CONFIG: organisation "acme", source 1, field type: no source is named "okta"; the registered sources are auth0 and kintone.');
  assert.equal(
    problem(with0({ type: "auth0", tenant: "acme-prod", domain: "acme.jp.auth0.com", secret: "x" })),
    'KANSA_CONFIG: organisation "acme", source 1 (auth0 "acme-prod"), field secret: is not a field of auth0 sources; their fields are type, tenant (or tenantEnv), domain (or domainEnv), clientId (or clientIdEnv), clientSecretEnv, startDays (or startDaysEnv) and retentionDays (or retentionDaysEnv).',
  );
  assert.equal(
    problem(with0({ type: "kintone", tenant: "acme.cybozu.com", hostname: "acme.cybozu.com" })),
    'KANSA_CONFIG: organisation "acme", source 1 (kintone "acme.cybozu.com"): lacks adminId and passwordEnv; kintone sources need hostname, adminId and passwordEnv.',
  );
  assert.equal(
    problem(with0({ type: "auth0", domain: "acme.jp.auth0.com", domainEnv: "ACME_DOMAIN" }), { ACME_DOMAIN: "acme.jp.auth0.com" }),
    'KANSA_CONFIG: organisation "acme", source 1 (auth0), field domainEnv: gives domain a second time (as domain and domainEnv); give it once.',
  );
  assert.equal(problem(with0({ type: "auth0", domain: "" })), 'KANSA_CONFIG: organisation "acme", source 1 (auth0), field domain: must be a non-empty string or a number, got "".');
  // A non-secret field may come from a variable too.
  const [acme] = load(with0({ type: "auth0", domainEnv: "ACME_DOMAIN", clientId: "c", clientSecretEnv: "ACME_AUTH0_SECRET" }), { ACME_DOMAIN: "acme.jp.auth0.com" }) as [Organisation];
  assert.equal(acme.sources[0]!.source.tenant, "acme.jp.auth0.com");
});

test("a tenant belongs to one organisation: a second instance of it names both", () => {
  assert.equal(
    problem(changed((doc) => { sourcesOf(doc, 1)[0]!.tenant = "acme-prod"; })),
    'KANSA_CONFIG: organisation "beta", source 1 (auth0 "acme-prod"), field tenant: the auth0 tenant "acme-prod" is already organisation "acme"\'s source 2; a tenant belongs to one organisation.',
  );
  // The tenant a source derives (the domain's host) counts as much as one written.
  assert.equal(
    problem(changed((doc) => { sourcesOf(doc, 0).push({ type: "auth0", domain: "beta.eu.auth0.com", clientId: "x", clientSecretEnv: "ACME_AUTH0_SECRET" }); })),
    'KANSA_CONFIG: organisation "beta", source 1 (auth0 "beta.eu.auth0.com"), field tenant: the auth0 tenant "beta.eu.auth0.com" is already organisation "acme"\'s source 4; a tenant belongs to one organisation.',
  );
  assert.equal(
    problem(changed((doc) => { sourcesOf(doc, 0)[2]!.tenant = "acme-prod"; })),
    'KANSA_CONFIG: organisation "acme", source 3 (auth0 "acme-prod"), field tenant: the auth0 tenant "acme-prod" is already this organisation\'s source 2; a tenant belongs to one organisation.',
  );
  // The same tenant name in two different sources is two tenants.
  const [acme] = load(changed((doc) => { sourcesOf(doc, 0)[1]!.tenant = "acme.cybozu.com"; })) as [Organisation];
  assert.deepEqual(acme.sources.map((s) => s.source.tenant), ["acme.cybozu.com", "acme.cybozu.com", "acme-dev"]);
});

test("a console's access secrets come from the variables their <field>Env name, registered for redaction", () => {
  const totp = "JBSWY3DPEHPK3PXP";
  const proxy = "http://proxy-user:proxy-pass-8080@proxy.example:3128";
  const [acme] = load(changed((doc) => {
    Object.assign(sourcesOf(doc, 0)[0]!, { totpSecretEnv: "ACME_TOTP", proxyUrlEnv: "ACME_PROXY", clientCertEnv: "ACME_CERT" });
  }), { ACME_TOTP: totp, ACME_PROXY: proxy, ACME_CERT: "/secrets/acme-cert.p12" }) as [Organisation];
  const config = acme.sources[0]!.config;
  assert.equal(config.kintoneTotpSecret, totp);
  assert.equal(config.kintoneProxyUrl, proxy);
  assert.equal(config.kintoneClientCert, "/secrets/acme-cert.p12");
  // (The proxy URL's password goes first, as in any URL; the rest of it no longer matches whole.)
  assert.equal(redactSecrets(`${totp} ${proxy} /secrets/acme-cert.p12`), "*** http://proxy-user:***@proxy.example:3128 ***");
});
