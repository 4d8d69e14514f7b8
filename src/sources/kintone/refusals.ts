/**
 * The console's refusals of access beyond the password: the two-factor code, the client
 * certificate (Secure Access), the source address (IP address restriction). Each is one
 * sentence naming the setting to fix, is permanent (retrying cannot help and could lock the
 * account), and quotes no secret.
 *
 * A refused client certificate reaches the browser only as a dropped connection (with TLS 1.3
 * the server's alert comes after the handshake), so a connection that fails on the login page
 * is checked by a TLS handshake of our own with the same certificate, through the same proxy:
 * its alert says whether the certificate (or its absence) was the reason, and a server that
 * drops, without a word, a connection that presented a certificate refused that certificate.
 * A proxy's refusal of its credentials reaches the browser as an error code alone, so it is
 * checked the same way (a CONNECT with the credentials, answered 407).
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type Socket } from "node:net";
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from "node:tls";
import { SourceError } from "../../core/errors.ts";
import type { ConsoleAccess } from "./access.ts";

/** A refusal of access (code, certificate, address, proxy): permanent, one sentence naming the setting. */
export class AccessRefused extends SourceError {
  constructor(code: "E_KINTONE_TOTP" | "E_KINTONE_CERT" | "E_KINTONE_ADDRESS" | "E_KINTONE_PROXY", sentence: string, step = "open login") {
    super(code, sentence, { retryable: false, details: { source: "kintone", step } });
  }
}

export function totpMissing(base: URL): AccessRefused {
  return new AccessRefused("E_KINTONE_TOTP", `kintone: the console at ${base.origin} asks for a two-factor verification code after the password; set KINTONE_TOTP_SECRET to the secret key of this administrator's authenticator (not retried).`, "submit");
}

export function totpRefused(base: URL): AccessRefused {
  return new AccessRefused("E_KINTONE_TOTP", `kintone: the console at ${base.origin} refused the two-factor verification code computed from KINTONE_TOTP_SECRET; set KINTONE_TOTP_SECRET to the secret key registered for this administrator and check this machine's clock (not retried).`, "submit");
}

export function addressRefused(base: URL, status: number, viaProxy: boolean): AccessRefused {
  const from = viaProxy ? "the address of the proxy in KINTONE_PROXY_URL" : "this machine's address";
  const fix = viaProxy ? "set KINTONE_PROXY_URL to a proxy whose outbound address the console allows, or add the proxy's address to the console's allowed addresses" : "set KINTONE_PROXY_URL to a proxy whose outbound address the console allows (a static-IP add-on), or add this machine's address to the console's allowed addresses";
  return new AccessRefused("E_KINTONE_ADDRESS", `kintone: the console at ${base.origin} does not allow access from ${from} (IP address restriction, HTTP ${status}); ${fix} (not retried).`);
}

export function proxyRefused(base: URL): AccessRefused {
  return new AccessRefused("E_KINTONE_PROXY", `kintone: the proxy in KINTONE_PROXY_URL refused to forward to ${base.origin} (proxy authentication); set the proxy's user and password in KINTONE_PROXY_URL (not retried).`);
}

export function certificateRefused(base: URL, reason: string, configured: boolean): AccessRefused {
  return new AccessRefused(
    "E_KINTONE_CERT",
    configured
      ? `kintone: the console at ${base.origin} refused the client certificate in KINTONE_CLIENT_CERT (${reason}); set KINTONE_CLIENT_CERT to a valid certificate its Secure Access issued for this administrator (not retried).`
      : `kintone: the console at ${base.origin} demands a client certificate (Secure Access); set KINTONE_CLIENT_CERT (and KINTONE_CLIENT_CERT_PASSWORD) to the certificate it issued for this administrator (not retried).`,
  );
}

export function certificateUnreadable(problem: string): AccessRefused {
  return new AccessRefused("E_KINTONE_CERT", `kintone: could not open the client certificate of KINTONE_CLIENT_CERT (${problem}); set KINTONE_CLIENT_CERT_PASSWORD to the password it was exported with, or KINTONE_CLIENT_CERT and KINTONE_CLIENT_KEY to a matching certificate and key (not retried).`);
}

/** True when the proxy answers 407 to a CONNECT to the console with the credentials of KINTONE_PROXY_URL. */
export async function proxyRefusesCredentials(base: URL, access: ConsoleAccess, timeoutMs: number): Promise<boolean> {
  if (!access.proxy || !/^https?:$/.test(new URL(access.proxy.server).protocol)) return false;
  const answer = await tunnel(access.proxy, base.hostname.replace(/^\[|\]$/g, ""), Number(base.port || (base.protocol === "https:" ? 443 : 80)), timeoutMs);
  answer?.socket?.destroy();
  return answer?.status === 407;
}

/** Browser errors of a navigation that a refused client certificate can cause. */
const CONNECTION_DROPPED = /net::ERR_(BAD_SSL_CLIENT_AUTH_CERT|SSL_\w+|EMPTY_RESPONSE|CONNECTION_RESET|CONNECTION_CLOSED|CONNECTION_ABORTED|SOCKET_NOT_CONNECTED)\b/;

export function droppedConnection(message: string): boolean {
  return CONNECTION_DROPPED.test(message);
}

/** The reason a TLS alert gives for refusing the client certificate, or null for any other error. */
function alertReason(error: NodeJS.ErrnoException): string | null {
  const code = error.code ?? "";
  if (/ALERT_CERTIFICATE_REQUIRED/.test(code)) return "no certificate";
  if (/ALERT_UNKNOWN_CA/.test(code)) return "issued by a CA the console does not trust";
  if (/ALERT_CERTIFICATE_EXPIRED/.test(code)) return "expired";
  if (/ALERT_CERTIFICATE_REVOKED/.test(code)) return "revoked";
  if (/ALERT_(BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED|HANDSHAKE_FAILURE)/.test(code)) return "not accepted";
  return null;
}

/** The proxy's answer to a CONNECT to `host:port` (with its credentials), and the socket when it is 200; null when it did not answer. */
function tunnel(proxy: NonNullable<ConsoleAccess["proxy"]>, host: string, port: number, timeoutMs: number): Promise<{ status: number; socket: Socket | null } | null> {
  const url = new URL(proxy.server);
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  const headers: Record<string, string> = {};
  if (proxy.username !== undefined) headers["Proxy-Authorization"] = `Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ""}`).toString("base64")}`;
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port || (url.protocol === "https:" ? 443 : 80), method: "CONNECT", path: `${isIP(host) === 6 ? `[${host}]` : host}:${port}`, headers, timeout: timeoutMs });
    req.once("connect", (answer, socket) => {
      const status = answer.statusCode ?? 0;
      if (status !== 200) socket.destroy();
      resolve({ status, socket: status === 200 ? socket : null });
    });
    req.once("error", () => resolve(null));
    req.once("timeout", () => {
      req.destroy();
      resolve(null);
    });
    req.end();
  });
}

/**
 * Why the console at `base` refuses our TLS client certificate (or its absence), or null when
 * it does not (it answered, or the connection failed for another reason).
 */
export async function certificateRefusalReason(base: URL, access: ConsoleAccess, timeoutMs: number): Promise<string | null> {
  if (base.protocol !== "https:") return null;
  const host = base.hostname.replace(/^\[|\]$/g, "");
  const port = Number(base.port || 443);
  let socket: Socket | undefined;
  if (access.proxy) {
    if (!/^https?:$/.test(new URL(access.proxy.server).protocol)) return null;
    socket = (await tunnel(access.proxy, host, port, timeoutMs))?.socket ?? undefined;
    if (!socket) return null;
  }
  const certificate = access.clientCertificate;
  const options: ConnectionOptions = {
    host,
    port,
    rejectUnauthorized: false, // only the console's answer to our certificate is checked; nothing is sent but a HEAD /
    ALPNProtocols: ["http/1.1"],
    ...(isIP(host) ? {} : { servername: host }),
    ...(socket ? { socket } : {}),
    ...(certificate && "pfx" in certificate ? { pfx: certificate.pfx, passphrase: certificate.passphrase } : {}),
    ...(certificate && "cert" in certificate ? { cert: certificate.cert, key: certificate.key, passphrase: certificate.passphrase } : {}),
  };
  return new Promise((resolve) => {
    let tls: TLSSocket;
    try {
      tls = tlsConnect(options);
    } catch {
      resolve(null); // a certificate Node cannot load: the browser's error stands
      return;
    }
    let settled = false;
    let handshake = false;
    const done = (reason: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      tls.destroy();
      resolve(reason);
    };
    // Closed after the handshake with no answer to a request: the certificate we presented was refused.
    const silentDrop = () => (handshake && certificate ? "the connection was closed once it was presented" : null);
    const timer = setTimeout(() => done(null), timeoutMs);
    tls.once("secureConnect", () => {
      handshake = true;
      tls.write(`HEAD / HTTP/1.1\r\nHost: ${base.host}\r\nConnection: close\r\n\r\n`);
    });
    tls.once("data", () => done(null));
    tls.once("error", (error: NodeJS.ErrnoException) => done(alertReason(error) ?? silentDrop()));
    tls.once("close", () => done(silentDrop()));
  });
}
