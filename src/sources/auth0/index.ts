/** The auth0 source (Management API checkpoint pull) and its transport client. */
export { auth0Source, createAuth0Source, type Auth0SourceSettings } from "./source.ts";
export { Auth0Client, Auth0RequestError, parseNextLink, type Auth0ClientOptions, type LogsPage, type SearchParams } from "./client.ts";
export { auth0BaseUrl, auth0Host, managementAudience } from "./domain.ts";
