/**
 * The emulated console's access controls beyond the password, as cybozu.com documents them
 * (jp.cybozu.help: "Two-Factor Authentication", "IP Address Restrictions", "Secure Access"):
 * the TOTP code asked after the password, and the source-address check. A client whose TLS
 * client certificate the server verified (Secure Access) passes the address check from anywhere.
 * Secure Access itself is the HTTPS server's (./index.ts): a handshake without a certificate
 * signed by the console's CA never reaches the handler.
 */
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { Secret, TOTP } from "otpauth";

/** The source address of `req` as the console sees it (an IPv4-mapped IPv6 address written as IPv4). */
export function sourceAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? "";
  return address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
}

/** True when the IP address restriction lets `req` in: none set, a listed address, or a verified client certificate. */
export function addressAllowed(req: IncomingMessage, allowed: readonly string[] | null): boolean {
  if (allowed === null) return true;
  if ((req.socket as Partial<TLSSocket>).authorized === true) return true;
  return allowed.includes(sourceAddress(req));
}

/** The TOTP of a base32 secret with the authenticator apps' defaults (SHA-1, 6 digits, 30 s). */
export function consoleTotp(secret: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 });
}

/**
 * The time step of `code` when it is a current code of `totp` (one period of clock drift
 * allowed either way) not used before (`lastStep`: the step of the last code accepted; a code
 * is accepted once, as RFC 6238 asks), else null.
 */
export function acceptedStep(totp: TOTP, code: unknown, lastStep: number | null, now = Date.now()): number | null {
  if (typeof code !== "string" || !/^\d{6}$/.test(code)) return null;
  const delta = totp.validate({ token: code, window: 1, timestamp: now });
  if (delta === null) return null;
  const step = totp.counter({ timestamp: now }) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}
