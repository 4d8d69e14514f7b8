/**
 * Where the report goes and through which server, from the configuration: SMTP_URL
 * (`smtps://user:pass@host:465`, or `smtp://host:25` for a local server), else the variables
 * Heroku's Mailgun add-on sets (MAILGUN_SMTP_SERVER/_PORT/_LOGIN/_PASSWORD), else SendGrid's
 * (SENDGRID_USERNAME/SENDGRID_PASSWORD → smtp.sendgrid.net:587). A missing or malformed
 * setting is a ConfigError naming the variable. Descriptions never include credentials.
 * Credentials never travel unencrypted: with a login and no `smtps:`, STARTTLS is required, and a
 * server that does not offer it fails the send with a sentence saying what to do; only
 * SMTP_ALLOW_PLAINTEXT_AUTH=1 (a local relay you trust) lifts that. A URL without credentials
 * (an unauthenticated local relay) sends nothing secret and upgrades to TLS only when offered.
 */
import nodemailer, { type SMTPTransportOptions, type Transporter } from "nodemailer";
import type { Config } from "../core/config.ts";
import { ConfigError } from "../core/errors.ts";
import { registerSecret } from "../core/secrets.ts";
import { parseAddress, parseAddressList, type MailAddress } from "./addresses.ts";

/** Time limits for one SMTP conversation, so that a hung server fails the send instead of the run. */
const TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 } as const;

export interface SmtpServer {
  /** nodemailer options (may carry credentials: never log them). */
  options: SMTPTransportOptions;
  /** The server without credentials, e.g. "smtps://smtp.example.com:465 (SMTP_URL)". */
  describe: string;
  /** The host name alone, for sentences. */
  host: string;
  /** A login is sent only after STARTTLS (a server without it fails the send). */
  requiresStartTls: boolean;
}

export interface MailSettings {
  from: MailAddress;
  to: MailAddress[];
  server: SmtpServer;
}

const fail = (variable: string, message: string): never => {
  throw new ConfigError(`${variable} ${message}`, { details: { variable } });
};

function port(value: string | undefined, variable: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) fail(variable, `must be a port number (1 to 65535), got "${value}".`);
  return n;
}

/** The SMTP server named by the configuration; ConfigError when none is configured or one is malformed. */
export function smtpServerFromConfig(config: Config): SmtpServer {
  if (config.smtpUrl) {
    let url: URL;
    try {
      url = new URL(config.smtpUrl);
    } catch {
      return fail("SMTP_URL", "must be a URL such as smtps://user:pass@smtp.example.com:465.");
    }
    if (url.protocol !== "smtp:" && url.protocol !== "smtps:") fail("SMTP_URL", `must start with smtp:// or smtps://, got ${url.protocol}//.`);
    if (!url.hostname) fail("SMTP_URL", "must name a host, such as smtps://user:pass@smtp.example.com:465.");
    if (url.password) registerSecret(decodeURIComponent(url.password));
    const secure = url.protocol === "smtps:";
    const shown = `${url.protocol}//${url.hostname}:${url.port || (secure ? 465 : 587)}${url.username ? ` as ${decodeURIComponent(url.username)}` : ""} (SMTP_URL)`;
    // nodemailer reads `secure` and `requireTLS` from the URL's query too, over our options.
    const secureParam = url.searchParams.get("secure");
    const tlsFromStart = secureParam !== null ? secureParam === "true" : secure;
    const requiresStartTls = Boolean(url.username || url.password) && !tlsFromStart && config.smtpAllowPlaintextAuth !== "1";
    const requireParam = url.searchParams.get("requireTLS");
    if (requiresStartTls && requireParam !== null && requireParam !== "true") {
      fail("SMTP_URL", `must not turn requireTLS off: kansa sends SMTP credentials only encrypted. Set SMTP_ALLOW_PLAINTEXT_AUTH=1 to send them to ${url.hostname} unencrypted (a local relay you trust).`);
    }
    return {
      options: { url: config.smtpUrl, ...(requiresStartTls ? { requireTLS: true } : {}), ...TIMEOUTS },
      describe: shown,
      host: url.hostname,
      requiresStartTls,
    };
  }
  if (config.mailgunSmtpServer) {
    const p = port(config.mailgunSmtpPort, "MAILGUN_SMTP_PORT", 587);
    if (!config.mailgunSmtpLogin) fail("MAILGUN_SMTP_LOGIN", "must be set with MAILGUN_SMTP_SERVER.");
    if (!config.mailgunSmtpPassword) fail("MAILGUN_SMTP_PASSWORD", "must be set with MAILGUN_SMTP_SERVER.");
    // Mailgun offers STARTTLS on 25, 587 and 2525 alike: the login is never sent before it.
    const requiresStartTls = p !== 465 && config.smtpAllowPlaintextAuth !== "1";
    return {
      options: { host: config.mailgunSmtpServer, port: p, secure: p === 465, requireTLS: requiresStartTls, auth: { user: config.mailgunSmtpLogin!, pass: config.mailgunSmtpPassword! }, ...TIMEOUTS },
      describe: `smtp://${config.mailgunSmtpServer}:${p} as ${config.mailgunSmtpLogin} (Mailgun)`,
      host: config.mailgunSmtpServer,
      requiresStartTls,
    };
  }
  if (config.sendgridUsername || config.sendgridPassword) {
    if (!config.sendgridUsername) fail("SENDGRID_USERNAME", "must be set with SENDGRID_PASSWORD.");
    if (!config.sendgridPassword) fail("SENDGRID_PASSWORD", "must be set with SENDGRID_USERNAME.");
    return {
      options: { host: "smtp.sendgrid.net", port: 587, secure: false, requireTLS: true, auth: { user: config.sendgridUsername!, pass: config.sendgridPassword! }, ...TIMEOUTS },
      describe: `smtp://smtp.sendgrid.net:587 as ${config.sendgridUsername} (SendGrid)`,
      host: "smtp.sendgrid.net",
      requiresStartTls: true,
    };
  }
  return fail("SMTP_URL", "is not set and no Mailgun or SendGrid variables are: set SMTP_URL (e.g. smtps://user:pass@smtp.example.com:465) to mail the report, or run with --no-mail.");
}

/**
 * What to do about a failed send, as a sentence, when the failure is one kansa caused on purpose:
 * the server refused STARTTLS (or offers none) while a login was to be sent. `null` otherwise.
 */
export function sendFailureAdvice(error: unknown, server: SmtpServer): string | null {
  // A refused STARTTLS carries the server's answer; a failed TLS handshake after it does not.
  const e = error as { code?: unknown; command?: unknown; response?: unknown };
  if (!server.requiresStartTls || e.code !== "ETLS" || e.command !== "STARTTLS" || typeof e.response !== "string") return null;
  return `${server.host} offers no STARTTLS, and kansa never sends SMTP credentials unencrypted: use smtps:// (port 465) or a server that offers STARTTLS, or, for a local relay you trust, set SMTP_ALLOW_PLAINTEXT_AUTH=1.`;
}

/** Sender, recipients and server, all checked. Call before doing work that ends in a mail. */
export function mailSettingsFromConfig(config: Config): MailSettings {
  return {
    from: parseAddress(config.mailFrom, "MAIL_FROM"),
    to: parseAddressList(config.sendToList, "SEND_TO_LIST"),
    server: smtpServerFromConfig(config),
  };
}

/**
 * A nodemailer transport for the configured SMTP server (see `smtpServerFromConfig`).
 * `overrides` adjust nodemailer options (tests shorten timeouts). Close it after use.
 */
export function createTransportFromConfig(config: Config, overrides: Partial<SMTPTransportOptions> = {}): Transporter {
  const server = smtpServerFromConfig(config);
  return nodemailer.createTransport({ ...server.options, ...overrides });
}
