/**
 * `kansa backfill`: collect a range of days into the store so that detection works from the
 * first day. Sources that resume by range (src/sources/contract.ts) are collected over the whole
 * range in one session, part by part; sources that resume from a cursor pull from the range's
 * start (or their cursor) up to now. Progress is recorded in the Run row after every stored
 * batch, so a backfill of the same range that crashed, or was stopped (Ctrl-C: `signal`),
 * resumes where it stopped; storing is idempotent, so nothing is duplicated either way.
 */
import { join } from "node:path";
import type { Config } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import type { JsonValue, TimeRange } from "../core/types.ts";
import type { Source } from "../sources/contract.ts";
import { dayRange, daysBetween } from "../core/calendar.ts";
import type { Database } from "../store/database.ts";
import { finishRun, startRun } from "../store/runs.ts";
import { collectSource, type SourceRunResult } from "./collect-source.ts";
import { now as clockNow } from "../core/clock.ts";

export interface BackfillOptions {
  from: string;
  to: string;
  log: Logger;
  artifactsDir: string;
  now?: Date;
  /**
   * Stop early (Ctrl-C): the batch under way is stored, no further source is started, and the
   * run is recorded as interrupted with its progress, so that the same range resumes from there.
   */
  signal?: AbortSignal;
  /** Called as a range-driven source advances: the fraction of the range done, 0..1. */
  onProgress?: (source: Source, fraction: number, cursor: string) => void;
}

export interface BackfillResult {
  from: string;
  to: string;
  results: SourceRunResult[];
  /** Sources resumed from an earlier, unfinished backfill of the same range: key → where. */
  resumed: Record<string, string>;
  /** How far each range-driven source got (this run and the unfinished ones it resumed): key → instant reached. */
  progress: Record<string, string>;
  failed: boolean;
  /** Stopped by `signal` before the end: the range is not complete, and running it again resumes it. */
  interrupted: boolean;
}

const key = (source: Source) => `${source.name}:${source.tenant}`;

type Progress = Record<string, string>;

/**
 * Where an unfinished backfill of the same range got to, per source. Only the latest run of the
 * range counts: once one finished, the killed runs before it are history (a new backfill of the
 * range starts afresh instead of "resuming" where a run that was later completed stopped).
 */
async function previousProgress(db: Database, from: string, to: string): Promise<Progress> {
  const runs = await db.prisma.run.findMany({
    where: { kind: "backfill" },
    orderBy: { id: "desc" },
    take: 20,
  });
  for (const run of runs) {
    const stats = run.stats as { from?: string; to?: string; progress?: Progress };
    if (stats.from !== from || stats.to !== to) continue;
    if (run.status !== "running" && run.status !== "failed" && run.status !== "interrupted") return {};
    if (stats.progress) return stats.progress;
  }
  return {};
}

/** Collect every source over [from, to] (days in the report time zone, both included). */
export async function backfill(db: Database, config: Config, sources: Source[], options: BackfillOptions): Promise<BackfillResult> {
  const now = options.now ?? clockNow();
  const zone = config.reportTimezone;
  const whole: TimeRange = { from: dayRange(options.from, zone).from, to: dayRange(options.to, zone).to };
  if (whole.to > now) whole.to = now;
  const progress = await previousProgress(db, options.from, options.to);
  const resumed: Record<string, string> = {};
  const runId = await startRun(db, "backfill");
  const record = async (extra: Record<string, JsonValue> = {}) =>
    db.prisma.run.update({ where: { id: runId }, data: { stats: { from: options.from, to: options.to, progress, ...extra } } });
  await record();

  const results: SourceRunResult[] = [];
  for (const source of sources) {
    if (options.signal?.aborted) break;
    const rangeDriven = source.resume.kind === "range";
    let range = whole;
    const done = progress[key(source)];
    if (rangeDriven && done) {
      const resumeAt = new Date(done);
      if (resumeAt >= whole.to) {
        options.log.info({ source: source.name }, "already backfilled by an earlier run of this range");
        continue;
      }
      if (resumeAt > whole.from) {
        range = { from: resumeAt, to: whole.to };
        resumed[key(source)] = done;
        options.log.info({ source: source.name, from: done }, "resuming an unfinished backfill");
      }
    }
    const span = whole.to.getTime() - whole.from.getTime();
    const result = await collectSource(db, source, {
      range,
      config,
      log: options.log,
      artifactsDir: options.artifactsDir,
      ...(options.signal ? { signal: options.signal } : {}),
      onCursor: async (cursor) => {
        if (!rangeDriven) return;
        progress[key(source)] = cursor;
        await record();
        const at = new Date(cursor).getTime();
        if (Number.isFinite(at)) options.onProgress?.(source, Math.min(1, (at - whole.from.getTime()) / span), cursor);
      },
    });
    results.push(result);
  }
  const failed = results.some((r) => r.errors.length > 0);
  const interrupted = options.signal?.aborted ?? false;
  const totals = Object.fromEntries(
    results.map((r) => [key({ name: r.source, tenant: r.tenant } as Source), { collected: r.collected, stored: r.stored, duplicates: r.duplicates, rejected: r.rejected }]),
  );
  const status = interrupted ? "interrupted" : failed ? "failed" : "ok";
  await finishRun(db, runId, status, { from: options.from, to: options.to, progress, totals }, results.flatMap((r) => r.errors));
  return { from: options.from, to: options.to, results, resumed, progress, failed, interrupted };
}

/**
 * One line for a backfill stopped before the end: what is saved, per source (whole days done
 * for a range-driven source, counting an unfinished run it resumed; events stored by this run),
 * and the command that resumes it.
 */
export function describeInterruption(result: BackfillResult, sources: Source[], zone: string): string {
  const days = daysBetween(result.from, result.to);
  const saved = sources.map((source) => {
    const name = `${source.name} (${source.tenant})`;
    const ran = result.results.find((r) => r.source === source.name && r.tenant === source.tenant);
    const reached = result.progress[key(source)];
    const parts: string[] = [];
    if (source.resume.kind === "range") {
      const done = reached ? days.filter((day) => dayRange(day, zone).to <= new Date(reached)).length : 0;
      parts.push(`${done} of ${days.length} days complete`);
    }
    if (ran) parts.push(`${ran.stored} events stored`);
    else if (!reached) parts.push("not started");
    return `${name} ${parts.join(", ")}`;
  });
  return `Interrupted; saved so far: ${saved.join("; ")}. Resume with: kansa backfill --from ${result.from} --to ${result.to}`;
}

/** The artifacts folder of a run. */
export function artifactsDirFor(config: Config, runId: string): string {
  return join(config.dataDir, "artifacts", runId);
}
