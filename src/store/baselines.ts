/**
 * The Baseline table: one row per source + tenant + month + time zone + feature set, holding
 * n, the mean and the sample covariance of the month's encoded events, the feature set's fitted
 * state and other derived data in `extra`, and `dataVersion`, the fingerprint of the month's
 * events when it was computed ("<count>@<latest ingestedAt ISO>"). A fingerprint that no longer
 * matches means the month changed and the baseline is refitted; see `isBaselineCurrent`.
 */
import type { JsonObject } from "../core/types.ts";
import type { Database } from "./database.ts";
import type { RangeFingerprint } from "./event-queries.ts";

export interface BaselineKey {
  source: string;
  tenant: string;
  /** YYYY-MM, a calendar month in `timezone`. */
  month: string;
  timezone: string;
  featureSet: string;
}

export interface StoredBaseline extends BaselineKey {
  n: number;
  mean: number[];
  /** Row-major rows of the d × d sample covariance. */
  covariance: number[][];
  extra: JsonObject;
  dataVersion: string;
  computedAt: Date;
}

/** The fingerprint as stored in `dataVersion`. */
export function dataVersionOf(fingerprint: RangeFingerprint): string {
  return `${fingerprint.count}@${fingerprint.latestIngestedAt ? fingerprint.latestIngestedAt.toISOString() : "none"}`;
}

function parseDataVersion(text: string): RangeFingerprint | null {
  const m = /^(\d+)@(.+)$/.exec(text);
  if (!m) return null;
  const latest = m[2] === "none" ? null : new Date(m[2]!);
  if (latest && Number.isNaN(latest.getTime())) return null;
  return { count: Number(m[1]), latestIngestedAt: latest };
}

/**
 * Whether a stored baseline still describes the month whose events now have `current`
 * fingerprint: the same fingerprint, or only fewer events and nothing stored since (the month
 * was pruned: a baseline is an aggregate that outlives its events, so pruning never refits it).
 */
export function isBaselineCurrent(stored: Pick<StoredBaseline, "dataVersion">, current: RangeFingerprint): boolean {
  if (stored.dataVersion === dataVersionOf(current)) return true;
  const then = parseDataVersion(stored.dataVersion);
  if (!then) return false;
  const nothingNew = current.latestIngestedAt === null || (then.latestIngestedAt !== null && current.latestIngestedAt <= then.latestIngestedAt);
  return current.count < then.count && nothingNew;
}

/** The stored baseline for `key`, or null. */
export async function readBaseline(db: Database, key: BaselineKey): Promise<StoredBaseline | null> {
  const row = await db.prisma.baseline.findUnique({ where: { source_tenant_month_timezone_featureSet: key } });
  if (!row) return null;
  return {
    source: row.source,
    tenant: row.tenant,
    month: row.month,
    timezone: row.timezone,
    featureSet: row.featureSet,
    n: row.n,
    mean: row.mean as number[],
    covariance: row.covariance as number[][],
    extra: (row.extra ?? {}) as JsonObject,
    dataVersion: row.dataVersion,
    computedAt: row.computedAt,
  };
}

/** Insert or replace the baseline of its key. Values must be finite (JSON has no NaN). */
export async function writeBaseline(db: Database, baseline: Omit<StoredBaseline, "computedAt"> & { computedAt?: Date }): Promise<void> {
  const { source, tenant, month, timezone, featureSet } = baseline;
  const data = {
    n: baseline.n,
    mean: baseline.mean,
    covariance: baseline.covariance,
    extra: baseline.extra,
    dataVersion: baseline.dataVersion,
    computedAt: baseline.computedAt ?? new Date(),
  };
  await db.prisma.baseline.upsert({
    where: { source_tenant_month_timezone_featureSet: { source, tenant, month, timezone, featureSet } },
    create: { source, tenant, month, timezone, featureSet, ...data },
    update: data,
  });
}

/** Every stored baseline's key, n and computedAt (for `kansa status`). */
export async function listBaselines(db: Database): Promise<(BaselineKey & { n: number; computedAt: Date })[]> {
  const rows = await db.prisma.baseline.findMany({
    select: { source: true, tenant: true, month: true, timezone: true, featureSet: true, n: true, computedAt: true },
    orderBy: [{ source: "asc" }, { tenant: "asc" }, { month: "asc" }, { featureSet: "asc" }],
  });
  return rows;
}
