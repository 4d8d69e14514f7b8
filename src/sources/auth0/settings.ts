/** The auth0 source's settings: the tenant and its credentials, the pull's bounds, the classification rules. */
import { list, num, optional, type SettingValues } from "../../core/config.ts";
import { severityOverrides } from "../severity-overrides.ts";
import { AUTH0_CRITICAL_BY_DEFAULT } from "./log-types.ts";

/** The log types critical by default: those the log-type table (./log-types.ts) marks critical. */
export const AUTH0_CRITICAL_TYPES_DEFAULT = [...AUTH0_CRITICAL_BY_DEFAULT];

/**
 * Management API routes whose writes (sapi events: POST/PUT/PATCH/DELETE) are critical, matched
 * with or without the `/api` prefix (./sapi-routes.ts). The paths are the Management API v2's
 * (https://auth0.com/docs/api/management/v2; github:auth0/docs-v2 main/docs/api/management/v2/ at
 * 092b879e), but for the Dashboard's own calls, which that reference leaves out and Auth0 logs all
 * the same, as public detection rules record them (github:panther-labs/panther-analysis
 * rules/auth0_rules): /v2/tenants/invitations (tenant members invited), /v2/risk-assessment
 * (risk assessment), /v2/integrations (Marketplace integrations installed); /v2/anomaly is the
 * reference's IP blocks (/anomaly/blocks/ips) and the Dashboard's bot-detection CAPTCHA.
 */
export const AUTH0_CRITICAL_SAPI_PATHS_DEFAULT = [
  // tenant settings and its members
  "/v2/tenants/settings", "/v2/tenants/invitations",
  // attack protection (brute force, breached passwords, suspicious IPs, bot detection, CAPTCHA), risk assessment
  "/v2/attack-protection", "/v2/anomaly", "/v2/risk-assessments", "/v2/risk-assessment",
  // MFA policies and factors (Guardian), and a user's factors
  "/v2/guardian", "/v2/users/*/authenticators", "/v2/users/*/authentication-methods", "/v2/users/*/multifactor", "/v2/users/*/recovery-code-regeneration",
  // users created or deleted, roles and role assignments
  "POST /v2/users$", "DELETE /v2/users/*$", "/v2/roles", "/v2/users/*/roles", "/v2/organizations/*/members",
  // who may call what: client grants, applications, connections
  "/v2/client-grants", "/v2/clients", "/v2/connections",
  // where logs go, what runs at login, who is invited, what is installed
  "/v2/log-streams", "/v2/actions/triggers", "/v2/organizations/*/invitations", "/v2/integrations",
  // domains and keys
  "/v2/custom-domains", "/v2/keys",
];

export const auth0Settings = {
  auth0CriticalTypes: list("AUTH0_CRITICAL_TYPES", AUTH0_CRITICAL_TYPES_DEFAULT, "Auth0 log types that are critical events (comma-separated).", "Detection"),
  auth0CriticalSapiPaths: list("AUTH0_CRITICAL_SAPI_PATHS", AUTH0_CRITICAL_SAPI_PATHS_DEFAULT, "Management API routes whose writes (sapi events) are critical: comma-separated [METHOD ]path items, each a path prefix with or without /api (* is any one segment, a final $ ends the path).", "Detection"),
  auth0Severity: severityOverrides("AUTH0_SEVERITY", "Changes to the Auth0 severity catalogue (README, \"Severity catalogue\"): comma-separated key=severity items, a key being a log type (gd_unenroll) or sapi:[METHOD ]path (sapi:/api/v2/clients), a severity high, medium, low or none (removes the entry).", "Detection"),
  auth0Domain: optional("AUTH0_DOMAIN", "Auth0 tenant domain (example.eu.auth0.com) or a full URL (used as given). Set with the client id and secret to enable the auth0 source.", "Auth0"),
  auth0ClientId: optional("AUTH0_CLIENT_ID", "Client id of a machine-to-machine application with the read:logs scope.", "Auth0"),
  auth0ClientSecret: optional("AUTH0_CLIENT_SECRET", "Client secret of that application.", "Auth0", true),
  auth0Tenant: optional("AUTH0_TENANT", "Tenant name stored with Auth0 events. Default: the host of AUTH0_DOMAIN.", "Auth0"),
  auth0StartDays: num("AUTH0_START_DAYS", 30, "With no cursor yet, start this many days back (bounded by what Auth0 still retains).", "Auth0", { min: 1, integer: true }),
  auth0RetentionDays: num("AUTH0_RETENTION_DAYS", 30, "Your Auth0 plan's log retention (1, 5, 10 or 30 days): a longer gap between pulls is reported as possible loss.", "Auth0", { min: 1, integer: true }),
  auth0RetryBudget: num("AUTH0_RETRY_BUDGET", 60, "Retries allowed for one Auth0 pull before it gives up.", "Auth0", { min: 0, integer: true }),
  auth0MaxRetryWaitSeconds: num("AUTH0_MAX_RETRY_WAIT_SECONDS", 150, "How long one Auth0 request is retried after its first failure (HTTP 5xx, 429, timeout, refused connection), in seconds; then the pull gives up and the report shows the source as failed.", "Auth0", { min: 0 }),
};

export type Auth0Settings = SettingValues<typeof auth0Settings>;

declare module "../../core/config.ts" {
  /** The auth0 source's settings are part of `Config`. */
  interface SourceSettings extends Auth0Settings {}
}
