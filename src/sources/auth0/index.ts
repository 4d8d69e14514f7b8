/**
 * The auth0 source: the tenant's log through the Management API (a cursor it advances: the last
 * log_id stored), and the log-stream, JSON and NDJSON files `kansa import` reads.
 */
import type { SourceDefinition } from "../contract.ts";
import { classifyAuth0Event } from "./classification.ts";
import { auth0Settings } from "./settings.ts";
import { auth0Files } from "./files.ts";
import { auth0LogType } from "./log-types.ts";
import { normalizeAuth0Event } from "./normalize.ts";
import { createAuth0Source } from "./source.ts";
import { auth0SeverityOf, describeAuth0Event } from "./severity.ts";
import { isAuth0SessionUpkeep } from "./session-upkeep.ts";

export { auth0Source, createAuth0Source, type Auth0SourceSettings } from "./source.ts";
export { Auth0Client, Auth0RequestError, parseNextLink, type Auth0ClientOptions, type LogsPage, type SearchParams } from "./client.ts";
export { auth0BaseUrl, auth0Host, managementAudience } from "./domain.ts";
export { normalizeAuth0Event, userAgentText } from "./normalize.ts";
export { auth0Files, auth0Tenant, auth0TenantSetting, auth0EventHostname, DEFAULT_AUTH0_TENANT } from "./files.ts";

export const auth0: SourceDefinition = {
  name: "auth0",
  create: createAuth0Source,
  enabledBy: ["AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"],
  instanceFields: {
    tenant: "AUTH0_TENANT",
    domain: "AUTH0_DOMAIN",
    clientId: "AUTH0_CLIENT_ID",
    clientSecret: "AUTH0_CLIENT_SECRET",
    startDays: "AUTH0_START_DAYS",
    retentionDays: "AUTH0_RETENTION_DAYS",
  },
  normalize: ({ record, locator }, batch, options) => normalizeAuth0Event(record, batch.tenant, locator, options, batch.origin),
  files: [auth0Files],
  classify: classifyAuth0Event,
  isKnownAction: (action) => auth0LogType(action) !== null,
  severityOf: auth0SeverityOf,
  describe: describeAuth0Event,
  isSessionUpkeep: isAuth0SessionUpkeep,
  settings: auth0Settings,
  appIdKind: "text",
};
