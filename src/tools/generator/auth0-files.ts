/**
 * Auth0 events written the ways kansa imports them: log-stream files as Firehose delivers them
 * through EventBridge (object keys `YYYY/MM/DD/HH/<stream>-<version>-<YYYY-MM-DD-HH-mm-ss>-<uuid>`,
 * each file EventBridge envelopes concatenated with no delimiter, seeds 000/001), NDJSON and
 * JSON arrays of bare events.
 */
import { mkdir, open, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Auth0LogEvent } from "./auth0-events.ts";
import { Random } from "./random.ts";

/** The EventBridge envelope around one Auth0 log event. */
export interface EventBridgeEnvelope {
  version: "0";
  id: string;
  "detail-type": "Auth0 log";
  source: string;
  account: string;
  time: string;
  region: string;
  resources: never[];
  detail: { log_id: string; data: Auth0LogEvent };
}

export interface StreamFileOptions {
  /** Auth0 tenant name in the partner event source (default: the events' `tenant_name`, else `example-corp`). */
  tenant?: string;
  /** AWS account id (default "123456789012"). */
  awsAccount?: string;
  /** AWS region (default "ap-northeast-1"). */
  region?: string;
  /** Unique suffix of the partner event source (default derived from the seed). */
  eventSourceId?: string;
  /** Firehose delivery stream name (default "auth0-logs"). */
  streamName?: string;
  /** Firehose buffering interval: one file per this many minutes of arrivals (default 5). */
  bufferMinutes?: number;
  /** At most this many envelopes per file (default 500). */
  maxPerFile?: number;
  /** Seed for envelope ids, file uuids and arrival delays (default 1). */
  seed?: number;
  /** Indent each envelope (pretty JSON, as some tools write); default false (one line each, no newline). */
  pretty?: boolean;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** EventBridge's `time`: the arrival, to the second, with Z (a little after the event). */
function arrivalTime(eventDate: string, random: Random): number {
  const t = Date.parse(eventDate);
  return Math.floor((t + random.int(300, 2500)) / 1000) * 1000;
}

/** Wraps events in EventBridge envelopes, one at a time (deterministic ids for a seed). */
export function* streamEnvelopes(events: Iterable<Auth0LogEvent>, options: StreamFileOptions = {}): Generator<EventBridgeEnvelope> {
  const random = new Random(options.seed ?? 1, "envelopes");
  const eventSourceId = options.eventSourceId ?? new Random(options.seed ?? 1, "event-source").uuid();
  let source: string | null = null;
  for (const data of events) {
    if (source === null) {
      const tenant = options.tenant ?? (typeof data.tenant_name === "string" ? data.tenant_name : "example-corp");
      source = `aws.partner/auth0.com/${tenant}-${eventSourceId}/auth0.logs`;
    }
    yield {
      version: "0",
      id: random.uuid(),
      "detail-type": "Auth0 log",
      source,
      account: options.awsAccount ?? "123456789012",
      time: new Date(arrivalTime(data.date, random)).toISOString().replace(/\.\d{3}Z$/, "Z"),
      region: options.region ?? "ap-northeast-1",
      resources: [],
      detail: { log_id: data.log_id, data },
    };
  }
}

/** Wraps events in EventBridge envelopes (deterministic ids for a seed). */
export function toEnvelopes(events: Iterable<Auth0LogEvent>, options: StreamFileOptions = {}): EventBridgeEnvelope[] {
  return [...streamEnvelopes(events, options)];
}

/** One Firehose object: its key relative to the bucket and its content. */
export interface StreamFile {
  key: string;
  content: string;
  count: number;
}

/**
 * Groups envelopes into Firehose objects by arrival time (buffer windows), keyed
 * `YYYY/MM/DD/HH/<stream>-1-<YYYY-MM-DD-HH-mm-ss>-<uuid>` in UTC, one object at a time.
 * Envelopes keep their order; events should come in time order (as generated).
 */
export function* streamFiles(events: Iterable<Auth0LogEvent>, options: StreamFileOptions = {}): Generator<StreamFile> {
  const random = new Random(options.seed ?? 1, "stream-files");
  const windowMs = (options.bufferMinutes ?? 5) * 60_000;
  const maxPerFile = options.maxPerFile ?? 500;
  const stream = options.streamName ?? "auth0-logs";
  let current: { window: number; first: number; parts: string[] } | null = null;
  const finish = (file: { first: number; parts: string[] }): StreamFile => {
    const d = new Date(file.first);
    const folder = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCHours())}`;
    const stamp = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}`;
    return { key: `${folder}/${stream}-1-${stamp}-${random.uuid()}`, content: file.parts.join(""), count: file.parts.length };
  };
  for (const envelope of streamEnvelopes(events, options)) {
    const t = Date.parse(envelope.time);
    const window = Math.floor(t / windowMs);
    if (current && (current.window !== window || current.parts.length >= maxPerFile)) {
      yield finish(current);
      current = null;
    }
    if (!current) current = { window, first: t, parts: [] };
    current.parts.push(options.pretty ? JSON.stringify(envelope, null, 2) : JSON.stringify(envelope));
  }
  if (current) yield finish(current);
}

/** All Firehose objects in one array (see streamFiles). */
export function toStreamFiles(events: Iterable<Auth0LogEvent>, options: StreamFileOptions = {}): StreamFile[] {
  return [...streamFiles(events, options)];
}

/**
 * Writes the events as Firehose log-stream files under `dir` (folders created), streaming one
 * object at a time. Returns the paths written (in time order) and the number of events.
 */
export async function writeAuth0StreamFiles(events: Iterable<Auth0LogEvent>, dir: string, options: StreamFileOptions = {}): Promise<{ files: string[]; events: number }> {
  const paths: string[] = [];
  const made = new Set<string>();
  let count = 0;
  for (const file of streamFiles(events, options)) {
    const path = join(dir, file.key);
    const folder = dirname(path);
    if (!made.has(folder)) {
      await mkdir(folder, { recursive: true });
      made.add(folder);
    }
    await writeFile(path, file.content);
    paths.push(path);
    count += file.count;
  }
  return { files: paths, events: count };
}

async function writeLines(path: string, lines: Iterable<string>): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, "w");
  let bytes = 0;
  let batch: string[] = [];
  try {
    for (const line of lines) {
      batch.push(line);
      if (batch.length >= 2000) {
        const buf = Buffer.from(batch.join(""));
        await handle.write(buf);
        bytes += buf.length;
        batch = [];
      }
    }
    if (batch.length > 0) {
      const buf = Buffer.from(batch.join(""));
      await handle.write(buf);
      bytes += buf.length;
    }
  } finally {
    await handle.close();
  }
  return bytes;
}

/** Writes bare events as NDJSON (one JSON object per line). */
export async function writeAuth0Ndjson(events: Iterable<Auth0LogEvent>, path: string): Promise<{ events: number; bytes: number }> {
  let count = 0;
  const bytes = await writeLines(path, (function* () {
    for (const event of events) {
      count++;
      yield `${JSON.stringify(event)}\n`;
    }
  })());
  return { events: count, bytes };
}

/** Writes bare events as one JSON array (one element per line, streamed). */
export async function writeAuth0JsonArray(events: Iterable<Auth0LogEvent>, path: string): Promise<{ events: number; bytes: number }> {
  let count = 0;
  const bytes = await writeLines(path, (function* () {
    yield "[";
    for (const event of events) {
      yield `${count === 0 ? "\n" : ",\n"}${JSON.stringify(event)}`;
      count++;
    }
    yield "\n]\n";
  })());
  return { events: count, bytes };
}
