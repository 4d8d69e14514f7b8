/**
 * Management API writes (sapi events) as Auth0 logs them, with or without the `/api` prefix,
 * against the defaults issue 24 lists: each documented path of the Management API v2 reference
 * (https://auth0.com/docs/api/management/v2; github:auth0/docs-v2 main/docs/api/management/v2/),
 * and the Dashboard's own calls it leaves out, is critical and has a catalogue entry.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ClassifiableEvent } from "../../src/core/classification.ts";
import type { JsonObject } from "../../src/core/types.ts";
import { loadConfig } from "../../src/sources/config.ts";
import { auth0 } from "../../src/sources/auth0/index.ts";
import { parseSapiRoute, routeMatches, sapiRouteKey } from "../../src/sources/auth0/sapi-routes.ts";

const defaults = loadConfig({});

/** A sapi event as Auth0 logs it: `details.request` with the method and the path (with its query, if any). */
function sapiEvent(method: string, path: string): ClassifiableEvent {
  const raw = { type: "sapi", description: "from the log", details: { request: { method, path, channel: "https://manage.auth0.com/" } } } as JsonObject;
  return { action: "sapi", level: null, result: "success", raw };
}

/** [what, method, path as the reference documents it (ids filled in), the catalogue's label]. */
const DOCUMENTED: [string, string, string, string][] = [
  ["tenant settings", "PATCH", "/v2/tenants/settings", "Tenant settings changed (Management API)"],
  ["tenant members invited (Dashboard)", "POST", "/v2/tenants/invitations", "Tenant members invited (Management API)"],
  ["brute-force protection", "PATCH", "/v2/attack-protection/brute-force-protection", "Attack protection changed (Management API)"],
  ["breached-password detection", "PATCH", "/v2/attack-protection/breached-password-detection", "Attack protection changed (Management API)"],
  ["suspicious IP throttling", "PATCH", "/v2/attack-protection/suspicious-ip-throttling", "Attack protection changed (Management API)"],
  ["bot detection", "PATCH", "/v2/attack-protection/bot-detection", "Attack protection changed (Management API)"],
  ["CAPTCHA", "PATCH", "/v2/attack-protection/captcha", "Attack protection changed (Management API)"],
  ["an IP block removed", "DELETE", "/v2/anomaly/blocks/ips/203.0.113.9", "Attack protection changed (Management API)"],
  ["risk assessment", "PATCH", "/v2/risk-assessments/settings", "Risk assessment settings changed (Management API)"],
  ["new-device assessor", "PATCH", "/v2/risk-assessments/settings/new-device", "Risk assessment settings changed (Management API)"],
  ["MFA policies", "PUT", "/v2/guardian/policies", "MFA policy changed (Management API)"],
  ["an MFA factor", "PUT", "/v2/guardian/factors/sms", "MFA policy changed (Management API)"],
  ["an MFA factor's provider", "PUT", "/v2/guardian/factors/sms/providers/twilio", "MFA policy changed (Management API)"],
  ["Guardian enrollment deleted", "DELETE", "/v2/guardian/enrollments/dev_0000000000000001", "MFA factor of a user changed (Management API)"],
  ["a user's authenticators deleted", "DELETE", "/v2/users/auth0|abc/authenticators", "MFA factor of a user changed (Management API)"],
  ["a user's authentication method", "DELETE", "/v2/users/auth0|abc/authentication-methods/phone|dev_1", "MFA factor of a user changed (Management API)"],
  ["a user's MFA provider removed", "DELETE", "/v2/users/auth0|abc/multifactor/google-authenticator", "MFA factor of a user changed (Management API)"],
  ["recovery code regenerated", "POST", "/v2/users/auth0|abc/recovery-code-regeneration", "MFA recovery code regenerated (Management API)"],
  ["user created", "POST", "/v2/users", "User created (Management API)"],
  ["user deleted", "DELETE", "/v2/users/auth0|abc", "User deleted (Management API)"],
  ["role created", "POST", "/v2/roles", "Roles or role assignments changed (Management API)"],
  ["role's users assigned", "POST", "/v2/roles/rol_1/users", "Roles or role assignments changed (Management API)"],
  ["user's roles assigned", "POST", "/v2/users/auth0|abc/roles", "Roles or role assignments changed (Management API)"],
  ["user's roles removed", "DELETE", "/v2/users/auth0|abc/roles", "Roles or role assignments changed (Management API)"],
  ["organization member's roles", "POST", "/v2/organizations/org_1/members/auth0|abc/roles", "Organization members or their roles changed (Management API)"],
  ["client grant created", "POST", "/v2/client-grants", "Client grants changed (Management API)"],
  ["client grant changed", "PATCH", "/v2/client-grants/cgr_1", "Client grants changed (Management API)"],
  ["client created", "POST", "/v2/clients", "Applications changed (Management API)"],
  ["client secret rotated", "POST", "/v2/clients/abc/rotate-secret", "Application credentials changed (Management API)"],
  ["client credential added", "POST", "/v2/clients/abc/credentials", "Application credentials changed (Management API)"],
  ["connection changed", "PATCH", "/v2/connections/con_1", "Connections changed (Management API)"],
  ["log stream deleted", "DELETE", "/v2/log-streams/lst_1", "Log streams changed (Management API)"],
  ["action trigger bindings", "PATCH", "/v2/actions/triggers/post-login/bindings", "Action triggers or bindings changed (Management API)"],
  ["organization invitation", "POST", "/v2/organizations/org_1/invitations", "Organization invitations changed (Management API)"],
  ["integration installed (Dashboard)", "POST", "/v2/integrations/installed", "Integration installed or changed (Management API)"],
  ["custom domain created", "POST", "/v2/custom-domains", "Custom domains changed (Management API)"],
  ["custom domain verified", "POST", "/v2/custom-domains/cd_1/verify", "Custom domains changed (Management API)"],
  ["signing key rotated", "POST", "/v2/keys/signing/rotate", "Signing or encryption keys changed (Management API)"],
  ["signing key revoked", "PUT", "/v2/keys/signing/kid_1/revoke", "Signing or encryption keys changed (Management API)"],
  ["custom signing keys", "PUT", "/v2/keys/custom-signing", "Signing or encryption keys changed (Management API)"],
];

for (const [what, method, path, label] of DOCUMENTED) {
  test(`sapi ${method} ${path} (${what}) is critical and has its entry, with or without /api, with a query, in any case`, () => {
    for (const logged of [`/api${path}`, path, `/api${path}?fields=id`, `/API${path.toUpperCase()}`]) {
      const event = sapiEvent(method, logged);
      assert.equal(auth0.classify(event, defaults).isCritical, true, `${method} ${logged} is critical`);
      assert.equal(auth0.severityOf!(event, defaults)?.label.en, label, `${method} ${logged}`);
    }
    assert.equal(auth0.classify(sapiEvent("GET", `/api${path}`), defaults).isCritical, false, "a read is not critical");
    assert.equal(auth0.severityOf!(sapiEvent("GET", `/api${path}`), defaults), null, "a read has no entry");
  });
}

test("ordinary user changes are not critical: a profile update, an identity linked", () => {
  for (const [method, path] of [["PATCH", "/api/v2/users/auth0|abc"], ["POST", "/api/v2/users/auth0|abc/identities"], ["POST", "/api/v2/users-by-email"]]) {
    assert.equal(auth0.classify(sapiEvent(method!, path!), defaults).isCritical, false, `${method} ${path}`);
  }
  assert.equal(auth0.severityOf!(sapiEvent("PATCH", "/api/v2/users/auth0|abc"), defaults)?.label.en, "Users changed (Management API)");
});

test("routes: METHOD and path, * for one segment, $ for the end, /api and case ignored, one spelling", () => {
  const write = (method: string, path: string) => ({ method, segments: path.split("/").filter(Boolean).slice(path.startsWith("/api/") ? 1 : 0) });
  assert.ok(routeMatches(parseSapiRoute("POST /api/v2/users$"), write("POST", "/api/v2/users")));
  assert.ok(!routeMatches(parseSapiRoute("POST /api/v2/users$"), write("POST", "/api/v2/users/x/roles")));
  assert.ok(!routeMatches(parseSapiRoute("POST /v2/users$"), write("PATCH", "/v2/users")));
  assert.ok(routeMatches(parseSapiRoute("/v2/users/*/roles"), write("DELETE", "/v2/users/auth0|1/roles")));
  assert.ok(!routeMatches(parseSapiRoute("/v2/users/*/roles"), write("DELETE", "/v2/users/auth0|1")));
  assert.equal(sapiRouteKey(parseSapiRoute(" post /API/v2/Users$ ")), "POST /v2/Users$");
  assert.equal(sapiRouteKey(parseSapiRoute("/api/v2/clients")), "/v2/clients");
});

test("AUTH0_CRITICAL_SAPI_PATHS takes the same routes: with a method, with or without /api", () => {
  const config = loadConfig({ AUTH0_CRITICAL_SAPI_PATHS: "DELETE /api/v2/email-templates, /v2/branding" });
  assert.equal(auth0.classify(sapiEvent("DELETE", "/v2/email-templates/welcome"), config).isCritical, true);
  assert.equal(auth0.classify(sapiEvent("PATCH", "/api/v2/email-templates/welcome"), config).isCritical, false);
  assert.equal(auth0.classify(sapiEvent("PATCH", "/api/v2/branding"), config).isCritical, true);
  assert.equal(auth0.classify(sapiEvent("PATCH", "/api/v2/tenants/settings"), config).isCritical, false, "the setting replaces the defaults");
});
