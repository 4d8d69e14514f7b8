/**
 * Delivering the daily report: render it, store it in the outbox, send what earlier runs
 * left pending, then send this day's report once. A day's report that was sent is not sent
 * again unless `resend` is asked. A failed send leaves the report pending with the reason,
 * and the result carries an `error` so that the command exits non-zero.
 */
import nodemailer, { type SendMailOptions, type Transporter } from "nodemailer";
import type { Config } from "../core/config.ts";
import { errorMessage } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { ReportModel } from "../core/report-model.ts";
import type { Database } from "../store/database.ts";
import {
  claimReport, listPendingReports, markReportFailed, markReportSent, storeReport, tenantsKey, type OutboxReport,
} from "../store/outbox.ts";
import { formatAddress } from "./addresses.ts";
import type { ReportLang } from "./labels.ts";
import { renderReport, type RenderedReport } from "./render-report.ts";
import { mailSettingsFromConfig, sendFailureAdvice, type MailSettings } from "./transport.ts";
import { DEFAULT_ORGANISATION } from "../core/types.ts";

export interface DeliverOptions {
  /** Send this day's report again even if it was sent. */
  resend?: boolean;
  log: Logger;
  /** Language of the mail; default REPORT_LANG. */
  lang?: ReportLang;
  /** A transport to use instead of one from the configuration (closed by the caller). */
  transport?: Transporter;
}

export interface DeliverResult {
  /** This day's report was sent by this call. */
  sent: boolean;
  /** This day's report had been sent before (and `resend` was not asked). */
  alreadySent: boolean;
  /** Reports of earlier runs sent by this call. */
  pendingSent: number;
  /** Reports of earlier runs that failed again. */
  pendingFailed: number;
  reportId: number;
  subject: string;
  messageId?: string;
  /** Why something failed to send (secrets redacted); set means the caller should exit non-zero. */
  error?: string;
}

export interface PendingResult {
  sent: number;
  failed: number;
  errors: string[];
}

interface SendContext {
  db: Database;
  settings: MailSettings;
  transport: Transporter;
  log: Logger;
}

type SendOutcome = { status: "sent"; messageId: string | null } | { status: "skipped" } | { status: "failed"; error: string };

/** Build the nodemailer message of a rendered report. */
export function reportMessage(rendered: RenderedReport, from: string, to: string[], day: string): SendMailOptions {
  return {
    from,
    to,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    headers: { "X-Kansa-Report-Day": day },
  };
}

async function sendOne(ctx: SendContext, report: OutboxReport): Promise<SendOutcome> {
  const recipients = ctx.settings.to.map(formatAddress);
  if (!(await claimReport(ctx.db, report, recipients))) {
    ctx.log.info({ day: report.day, reportId: report.id }, "report is being sent by another run, or was sent; skipping");
    return { status: "skipped" };
  }
  try {
    const info = await ctx.transport.sendMail(reportMessage(report, formatAddress(ctx.settings.from), recipients, report.day));
    const messageId = typeof info.messageId === "string" ? info.messageId : null;
    await markReportSent(ctx.db, report.id, messageId);
    ctx.log.info({ day: report.day, reportId: report.id, messageId, recipients: recipients.length, attempt: report.attempts + 1 }, "report sent");
    return { status: "sent", messageId };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const advice = sendFailureAdvice(error, ctx.settings.server);
    const reason = `Sending the report of ${report.day} through ${ctx.settings.server.describe} failed${typeof code === "string" ? ` (${code})` : ""}: ${errorMessage(error)}.${advice ? ` ${advice}` : ""} It stays in the outbox; the next run sends it.`;
    await markReportFailed(ctx.db, report.id, reason);
    ctx.log.error({ day: report.day, reportId: report.id, attempt: report.attempts + 1 }, reason);
    return { status: "failed", error: reason };
  }
}

async function withTransport<T>(settings: MailSettings, given: Transporter | undefined, work: (t: Transporter) => Promise<T>): Promise<T> {
  const transport = given ?? nodemailer.createTransport(settings.server.options);
  try {
    return await work(transport);
  } finally {
    if (!given) transport.close();
  }
}

async function sendPending(ctx: SendContext, org: string, exceptId: number | null): Promise<PendingResult> {
  const result: PendingResult = { sent: 0, failed: 0, errors: [] };
  // The organisation's own: another's report must never go to these recipients.
  for (const report of await listPendingReports(ctx.db, undefined, org)) {
    if (report.id === exceptId) continue;
    const outcome = await sendOne(ctx, report);
    if (outcome.status === "sent") result.sent++;
    if (outcome.status === "failed") {
      result.failed++;
      result.errors.push(outcome.error);
    }
  }
  return result;
}

/**
 * Send every report left pending by earlier runs (oldest day first), each at most once per
 * call. Checks MAIL_FROM, SEND_TO_LIST and the SMTP settings first (ConfigError).
 */
export async function sendPendingReports(db: Database, config: Config, options: { log: Logger; transport?: Transporter; org?: string }): Promise<PendingResult> {
  const settings = mailSettingsFromConfig(config);
  return withTransport(settings, options.transport, (transport) => sendPending({ db, settings, transport, log: options.log }, options.org ?? DEFAULT_ORGANISATION, null));
}

/**
 * Render `model`, store it in the outbox, send pending reports of earlier runs, then send this
 * day's report unless it was sent already (or `resend`). Throws ConfigError before storing
 * anything when the mail settings are missing or malformed; send failures do not throw, they
 * are returned in `error` (and the report stays pending).
 */
export async function deliverReport(db: Database, config: Config, model: ReportModel, options: DeliverOptions): Promise<DeliverResult> {
  const settings = mailSettingsFromConfig(config);
  const rendered = await renderReport(model, { lang: options.lang ?? config.reportLang });
  const { report, alreadySent, inProgress } = await storeReport(
    db,
    { org: model.organisation ?? DEFAULT_ORGANISATION, day: model.day, tenants: tenantsKey(model), recipients: settings.to.map(formatAddress), ...rendered, model },
    { resend: options.resend ?? false },
  );
  return withTransport(settings, options.transport, async (transport) => {
    const ctx: SendContext = { db, settings, transport, log: options.log };
    const pending = await sendPending(ctx, report.org, report.id);
    const result: DeliverResult = { sent: false, alreadySent, pendingSent: pending.sent, pendingFailed: pending.failed, reportId: report.id, subject: rendered.subject };
    const errors = [...pending.errors];
    if (inProgress) {
      options.log.info({ day: model.day, reportId: report.id }, "the report of this day is being sent by another run right now; not sending it here");
    } else if (alreadySent) {
      options.log.info({ day: model.day, reportId: report.id, sentAt: report.sentAt?.toISOString(), messageId: report.messageId }, "the report of this day was sent already; not sending it again (use --resend to send it again)");
      if (report.messageId) result.messageId = report.messageId;
    } else {
      const outcome = await sendOne(ctx, report);
      if (outcome.status === "sent") {
        result.sent = true;
        if (outcome.messageId) result.messageId = outcome.messageId;
      } else if (outcome.status === "failed") {
        errors.unshift(outcome.error);
      }
    }
    if (errors.length > 0) result.error = errors.join(" ");
    return result;
  });
}

/** One line on what a delivery did, for the command's output. */
export function describeDelivery(result: DeliverResult): string {
  const parts: string[] = [];
  if (result.sent) parts.push(`mail sent: ${result.subject}${result.messageId ? ` (${result.messageId})` : ""}`);
  else if (result.alreadySent) parts.push("mail: this day's report was sent already (use --resend to send it again)");
  else if (!result.error) parts.push("mail: another run is sending this day's report");
  if (result.pendingSent > 0) parts.push(`${result.pendingSent} pending report(s) of earlier runs sent`);
  if (result.error) parts.push(`mail failed: ${result.error}`);
  return parts.join("; ");
}
