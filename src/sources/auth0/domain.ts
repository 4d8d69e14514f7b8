/** Where the Auth0 tenant is: AUTH0_DOMAIN as a base URL, its host, and the Management API audience. */
import { ConfigError } from "../../core/errors.ts";

/**
 * The tenant's base URL, without a trailing slash: a bare domain (`example.eu.auth0.com`) means
 * `https://example.eu.auth0.com`; a full URL (`http://127.0.0.1:4010`, how the emulator is
 * reached) is used as given. Throws ConfigError naming AUTH0_DOMAIN when it is neither.
 */
export function auth0BaseUrl(domain: string): string {
  const text = domain.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text.replace(/\/+$/, "")}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError(`AUTH0_DOMAIN must be a domain such as example.eu.auth0.com or a URL such as https://example.eu.auth0.com, got "${text}".`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`AUTH0_DOMAIN must be an http:// or https:// URL, got a ${url.protocol} URL.`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError("AUTH0_DOMAIN must not carry credentials, a query or a fragment.");
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** The host (with port when one is given) of a base URL: how errors and the tenant name it. */
export function auth0Host(baseUrl: string): string {
  return new URL(baseUrl).host.toLowerCase();
}

/** The Management API audience of the tenant: `<base URL>/api/v2/`. */
export function managementAudience(baseUrl: string): string {
  return `${baseUrl}/api/v2/`;
}
