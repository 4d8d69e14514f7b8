/**
 * Who is signed in to the emulated console. A visitor of `/login` gets a pre-login cookie bound
 * to the request token embedded in the page; `login.json` checks the credentials and marks that
 * visitor as authenticated-pending; `redirect.do` turns it into a session (a new cookie). A
 * session expires after `ttlMs` without use, or at once when the test switch says so.
 */
import { randomBytes, randomUUID } from "node:crypto";

export const PRE_LOGIN_COOKIE = "CB_LOGIN";
export const SESSION_COOKIE = "JSESSIONID";

interface PreLogin {
  token: string;
  /** With two-factor authentication on: set by login.json (the password was right), awaiting the code. */
  passwordUser: string | null;
  /** Set by a successful login.json (or, with two-factor authentication, totp.json), consumed by redirect.do. */
  authenticatedUser: string | null;
  createdAt: number;
}

export interface Session {
  id: string;
  user: string;
  /** The request token that POSTs of this session must carry. */
  token: string;
  lastUsedAt: number;
}

const PRE_LOGIN_TTL_MS = 30 * 60_000;

export class SessionStore {
  private readonly preLogins = new Map<string, PreLogin>();
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly ttlMs: number) {}

  /** A new pre-login visitor: its cookie value and the request token of its login page. */
  startPreLogin(): { cookie: string; token: string } {
    this.sweep();
    const cookie = randomBytes(18).toString("base64url");
    const token = randomUUID();
    this.preLogins.set(cookie, { token, passwordUser: null, authenticatedUser: null, createdAt: Date.now() });
    return { cookie, token };
  }

  /** The pre-login state of `cookie` when `token` is the one issued to it, else null. */
  checkPreLogin(cookie: string | undefined, token: unknown): PreLogin | null {
    if (!cookie || typeof token !== "string") return null;
    const pre = this.preLogins.get(cookie);
    if (!pre || pre.token !== token || Date.now() - pre.createdAt > PRE_LOGIN_TTL_MS) return null;
    return pre;
  }

  /** Turn an authenticated pre-login into a session; the pre-login is consumed. */
  createSession(preCookie: string, user: string): Session {
    this.preLogins.delete(preCookie);
    const session: Session = { id: randomBytes(24).toString("base64url"), user, token: randomUUID(), lastUsedAt: Date.now() };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session of `cookie` (touched), or null when absent or expired. */
  session(cookie: string | undefined): Session | null {
    if (!cookie) return null;
    const session = this.sessions.get(cookie);
    if (!session) return null;
    if (Date.now() - session.lastUsedAt >= this.ttlMs) {
      this.sessions.delete(cookie);
      return null;
    }
    session.lastUsedAt = Date.now();
    return session;
  }

  end(cookie: string | undefined): void {
    if (cookie) this.sessions.delete(cookie);
  }

  /** Expire every session now (a test switch: "the session timed out"). */
  expireAll(): void {
    this.sessions.clear();
  }

  get liveSessions(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, pre] of this.preLogins) if (now - pre.createdAt > PRE_LOGIN_TTL_MS) this.preLogins.delete(key);
  }
}
