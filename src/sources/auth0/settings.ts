/** The auth0 source's settings: the tenant and its credentials, the pull's bounds, the classification rules. */
import { list, num, optional, type SettingValues } from "../../core/config.ts";
import { severityOverrides } from "../severity-overrides.ts";

export const AUTH0_CRITICAL_TYPES_DEFAULT = [
  "limit_wc", "limit_mu", "limit_sul", "pwd_leak", "signup_pwd_leak", "reset_pwd_leak", "api_limit",
  "fcpro", "ferrt", "gd_tenant_update", "gd_unenroll", "mgmt_api_read", "sdu", "du",
];

/** `sapi` request paths whose writes (POST/PUT/PATCH/DELETE) are critical. */
export const AUTH0_CRITICAL_SAPI_PATHS_DEFAULT = [
  "/api/v2/tenants/settings", "/api/v2/attack-protection", "/api/v2/guardian", "/api/v2/roles",
  "/api/v2/connections", "/api/v2/clients", "/api/v2/log-streams",
];

export const auth0Settings = {
  auth0CriticalTypes: list("AUTH0_CRITICAL_TYPES", AUTH0_CRITICAL_TYPES_DEFAULT, "Auth0 log types that are critical events (comma-separated).", "Detection"),
  auth0CriticalSapiPaths: list("AUTH0_CRITICAL_SAPI_PATHS", AUTH0_CRITICAL_SAPI_PATHS_DEFAULT, "Management API paths whose writes (sapi events) are critical (comma-separated prefixes).", "Detection"),
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
