/**
 * The outbox (the Report table): a rendered daily report is stored before it is sent, one row
 * per organisation, day and tenant set. A row is `pending` until a send is attempted; the attempt claims it
 * (`sending`, with a compare-and-set on `attempts`, so two overlapping runs never send the same
 * row twice); success makes it `sent` with the server's message id, failure makes it `pending`
 * again with `lastError`, to be sent by a later run. While a row is `sending`, `sentAt` holds
 * when the attempt started: a row left `sending` longer than STALE_SENDING_MS (its process died
 * mid-send) counts as pending again, so nothing stays stuck.
 */
import type { Database } from "./database.ts";
import type { InputJsonValue } from "./generated/internal/prismaNamespace.ts";
import type { ReportModel } from "../core/report-model.ts";
import { StoreError } from "../core/errors.ts";
import { redactSecrets } from "../core/secrets.ts";
import { now as clockNow } from "../core/clock.ts";
import { DEFAULT_ORGANISATION } from "../core/types.ts";

/** `pending` (not sent yet, or the last attempt failed), `sending`, `sent`; `failed` is read as pending. */
export type OutboxStatus = "pending" | "sending" | "sent" | "failed";

/** A send attempt older than this (far beyond the SMTP time limits) was abandoned by a dead process. */
export const STALE_SENDING_MS = 15 * 60 * 1000;

/** Rows that may be (re)sent now: pending, failed, or abandoned mid-send. */
function unsentWhere(now: Date) {
  return {
    OR: [
      { status: { in: ["pending", "failed"] } },
      { status: "sending", sentAt: { lt: new Date(now.getTime() - STALE_SENDING_MS) } },
    ],
  };
}

function isBeingSent(row: { status: string; sentAt: Date | null }, now: Date): boolean {
  return row.status === "sending" && row.sentAt !== null && row.sentAt.getTime() >= now.getTime() - STALE_SENDING_MS;
}

export interface OutboxReport {
  id: number;
  /** The organisation whose report it is ("default" without KANSA_CONFIG). */
  org: string;
  day: string;
  tenants: string;
  recipients: string[];
  subject: string;
  html: string;
  text: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  messageId: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface OutboxInput {
  /** Default "default". */
  org?: string;
  day: string;
  tenants: string;
  recipients: string[];
  subject: string;
  html: string;
  text: string;
  model: ReportModel;
}

type Row = Awaited<ReturnType<Database["prisma"]["report"]["findFirstOrThrow"]>>;

function fromRow(row: Row): OutboxReport {
  return {
    id: row.id,
    org: row.org,
    day: row.day,
    tenants: row.tenants,
    recipients: row.recipients === "" ? [] : row.recipients.split(","),
    subject: row.subject,
    html: row.html,
    text: row.text,
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    lastError: row.lastError,
    messageId: row.messageId,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
  };
}

/** The tenant set of a report model: its sources' `source:tenant`, sorted and comma-joined. */
export function tenantsKey(model: Pick<ReportModel, "sources" | "baselines">): string {
  const keys = new Set([...model.sources, ...model.baselines].map((s) => `${s.source}:${s.tenant}`));
  return [...keys].sort().join(",");
}

/**
 * Store the rendered report of a day. A new day+tenants gets a pending row. An unsent row is
 * replaced by the new rendering (still pending). A sent row is left alone unless `resend`,
 * which stores the new rendering and makes it pending again. A row another run is sending
 * right now is left alone (`inProgress`).
 */
export async function storeReport(
  db: Database,
  input: OutboxInput,
  options: { resend?: boolean } = {},
): Promise<{ report: OutboxReport; alreadySent: boolean; inProgress: boolean }> {
  const data = {
    recipients: input.recipients.join(","),
    subject: input.subject,
    html: input.html,
    text: input.text,
    model: input.model as unknown as InputJsonValue,
  };
  const org = input.org ?? DEFAULT_ORGANISATION;
  const where = { org_day_tenants: { org, day: input.day, tenants: input.tenants } };
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await db.prisma.report.findUnique({ where });
    if (existing) {
      if (existing.status === "sent" && !options.resend) return { report: fromRow(existing), alreadySent: true, inProgress: false };
      if (isBeingSent(existing, clockNow())) return { report: fromRow(existing), alreadySent: false, inProgress: true };
      // Only replace what we read: a row sent meanwhile by another run stays sent.
      const updated = await db.prisma.report.updateMany({
        where: { id: existing.id, status: existing.status, attempts: existing.attempts },
        data: { ...data, status: "pending", sentAt: null },
      });
      if (updated.count === 1) return { report: fromRow(await db.prisma.report.findUniqueOrThrow({ where: { id: existing.id } })), alreadySent: false, inProgress: false };
      continue;
    }
    try {
      const created = await db.prisma.report.create({ data: { ...data, org, day: input.day, tenants: input.tenants, status: "pending", createdAt: clockNow() } });
      return { report: fromRow(created), alreadySent: false, inProgress: false };
    } catch (error) {
      // Another run created it between our read and write: read it again.
      if ((error as { code?: string }).code !== "P2002") throw new StoreError(`Storing the report of ${input.day} failed: ${(error as Error).message}`, { cause: error });
    }
  }
  throw new StoreError(`Storing the report of ${input.day} failed: the row kept changing under concurrent runs.`);
}

/** Unsent reports (pending, failed, or abandoned mid-send), oldest day first; with `org`, that organisation's only. */
export async function listPendingReports(db: Database, now = clockNow(), org?: string): Promise<OutboxReport[]> {
  const rows = await db.prisma.report.findMany({ where: { ...unsentWhere(now), ...(org !== undefined ? { org } : {}) }, orderBy: [{ day: "asc" }, { id: "asc" }] });
  return rows.map(fromRow);
}

/** One report by day and tenant set (of `org`, default "default"), or null. */
export async function findReport(db: Database, day: string, tenants: string, org = DEFAULT_ORGANISATION): Promise<OutboxReport | null> {
  const row = await db.prisma.report.findUnique({ where: { org_day_tenants: { org, day, tenants } } });
  return row ? fromRow(row) : null;
}

/**
 * Claim an unsent report for one send attempt: marks it `sending`, counts the attempt and
 * records the current recipients. True when this caller owns the attempt; false when another
 * run claimed it first or it was sent meanwhile.
 */
export async function claimReport(db: Database, report: OutboxReport, recipients: string[], now = clockNow()): Promise<boolean> {
  const result = await db.prisma.report.updateMany({
    where: { id: report.id, attempts: report.attempts, ...unsentWhere(now) },
    data: { status: "sending", sentAt: now, attempts: report.attempts + 1, recipients: recipients.join(",") },
  });
  return result.count === 1;
}

/** Record a successful send. */
export async function markReportSent(db: Database, id: number, messageId: string | null): Promise<void> {
  await db.prisma.report.update({ where: { id }, data: { status: "sent", messageId, sentAt: clockNow(), lastError: null } });
}

/** Record a failed send: the report is pending again, with the reason (secrets redacted). */
export async function markReportFailed(db: Database, id: number, error: string): Promise<void> {
  await db.prisma.report.update({ where: { id }, data: { status: "pending", sentAt: null, lastError: redactSecrets(error).slice(0, 2000) } });
}
