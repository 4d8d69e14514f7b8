/**
 * Access tokens of the emulated tenant: JWTs (HS256 with a key made at start-up) carrying what
 * Auth0's client-credentials tokens carry (iss, sub `<client_id>@clients`, aud, iat, exp, scope,
 * gty). They are checked the way the Management API checks them: signature, audience, expiry
 * against the emulator's clock, then the scope.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string;
  iat: number;
  exp: number;
  scope: string;
  gty: "client-credentials";
  azp: string;
  /** Token id; its prefix is the issuer's generation, which revokeAll() moves on. */
  jti: string;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: "missing" | "invalid" | "expired" };

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

export class TokenIssuer {
  private readonly key = randomBytes(32);
  /** Tokens of an earlier generation are refused, as if revoked. */
  private generation = 0;

  /** A signed token for `clientId` with `scopes`, valid `lifetimeSeconds` from `nowMs`. */
  issue(options: { issuer: string; audience: string; clientId: string; scopes: readonly string[]; nowMs: number; lifetimeSeconds: number }): string {
    const iat = Math.floor(options.nowMs / 1000);
    const claims: TokenClaims = {
      iss: options.issuer,
      sub: `${options.clientId}@clients`,
      aud: options.audience,
      iat,
      exp: iat + options.lifetimeSeconds,
      scope: options.scopes.join(" "),
      gty: "client-credentials",
      azp: options.clientId,
      jti: `${this.generation}.${randomBytes(8).toString("hex")}`,
    };
    const head = base64url(JSON.stringify({ alg: "HS256", typ: "JWT", kid: "emulator" }));
    const body = base64url(JSON.stringify(claims));
    return `${head}.${body}.${this.sign(`${head}.${body}`)}`;
  }

  private sign(text: string): string {
    return createHmac("sha256", this.key).update(text).digest("base64url");
  }

  /** Refuse every token issued so far. */
  revokeAll(): void {
    this.generation += 1;
  }

  /** Check an `Authorization` header value against the accepted `audiences` at `nowMs`. */
  check(header: string | undefined, audiences: readonly string[], nowMs: number): TokenCheck {
    if (header === undefined || header.trim() === "") return { ok: false, reason: "missing" };
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) return { ok: false, reason: "invalid" };
    const parts = match[1]!.split(".");
    if (parts.length !== 3) return { ok: false, reason: "invalid" };
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "invalid" };
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as TokenClaims;
    } catch {
      return { ok: false, reason: "invalid" };
    }
    if (!audiences.includes(claims.aud) || !String(claims.jti).startsWith(`${this.generation}.`)) return { ok: false, reason: "invalid" };
    if (claims.exp * 1000 <= nowMs) return { ok: false, reason: "expired" };
    return { ok: true, claims };
  }
}
