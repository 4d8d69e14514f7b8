/** The files source of `kansa import`: console CSV and Auth0 JSON files → RawBatches. */
export { readFiles, readOneFile, type FileItem, type FileKind, type ReadFilesOptions } from "./read-files.ts";
export { detectFormat, type FileFormat } from "./detect-format.ts";
export { splitJsonValues, type JsonValueItem } from "./json-values.ts";
export { consoleTenant, auth0Tenant, auth0TenantSetting, auth0EventHostname, hostOf, DEFAULT_AUTH0_TENANT, DEFAULT_CONSOLE_TENANT, type TenantSettings } from "./tenant.ts";
export { walkFiles } from "./walk.ts";
