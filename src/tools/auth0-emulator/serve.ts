/**
 * `kansa emulate auth0`: load (or generate) the tenant's log, start the emulated Auth0 tenant,
 * print where it listens and the settings that point kansa at it, and run until SIGINT/SIGTERM
 * (or `signal`) ends it.
 */
import { randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import { InputError } from "../../core/errors.ts";
import { startAuth0Emulator } from "./index.ts";
import { generateAuth0Records, loadAuth0Files } from "./load-data.ts";

export interface ServeAuth0Options {
  /** Auth0 log files or folders; empty: generated events. */
  data: string[];
  port: number;
  host: string;
  clientId: string | undefined;
  /** The secret the tenant accepts; undefined: a random one, printed. */
  clientSecret: string | undefined;
  retentionDays: number;
  rate: number | "off";
  tokenLifetimeSeconds: number;
  /** Generated data: this many days up to today, events per day, seed and zone. */
  days: number;
  perDay: number;
  seed: number;
  timezone: string;
  /** Print the connection details as one JSON line instead of sentences. */
  json: boolean;
  print: (line: string) => void;
  signal?: AbortSignal;
}

/** Serve until stopped; resolves with the exit code. */
export async function serveAuth0(options: ServeAuth0Options): Promise<number> {
  let events: Record<string, unknown>[];
  let described: string;
  if (options.data.length > 0) {
    const loaded = await loadAuth0Files(options.data);
    for (const r of loaded.rejections.slice(0, 10)) options.print(`  rejected ${r.origin} ${r.locator}: ${r.reason}`);
    if (loaded.events.length === 0) throw new InputError(`No Auth0 events in ${options.data.join(", ")} (${loaded.rejections.length} rejected).`);
    events = loaded.events;
    described = `${events.length} events from ${loaded.files.length} file(s)${loaded.rejections.length ? `, ${loaded.rejections.length} rejected` : ""}`;
  } else {
    const today = DateTime.now().setZone(options.timezone);
    const from = today.minus({ days: options.days - 1 }).toISODate()!;
    const to = today.toISODate()!;
    events = generateAuth0Records({ from, to, perDay: options.perDay, seed: options.seed, timezone: options.timezone });
    described = `${events.length} generated events, ${from} to ${to} (${options.timezone}; today's appear as their time comes)`;
  }
  const clientId = options.clientId ?? "kansa-demo";
  const generatedSecret = options.clientSecret === undefined;
  const clientSecret = options.clientSecret ?? randomBytes(18).toString("base64url");
  const emulator = await startAuth0Emulator({
    events,
    port: options.port,
    host: options.host,
    clientId,
    clientSecret,
    retentionDays: options.retentionDays,
    rate: options.rate,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds,
  });
  const shownSecret = generatedSecret ? clientSecret : "(the secret given)";
  if (options.json) {
    options.print(JSON.stringify({ url: emulator.url, clientId, clientSecret: generatedSecret ? clientSecret : null, events: emulator.size }));
  } else {
    options.print(`emulated Auth0 tenant listening at ${emulator.url}`);
    options.print(`  log: ${described}; retention ${options.retentionDays} days; rate ${options.rate === "off" ? "unlimited" : `${options.rate} requests/s`}`);
    options.print(`  client: ${clientId} / ${shownSecret}; audience ${emulator.url}/api/v2/`);
    options.print(`  try: AUTH0_DOMAIN=${emulator.url} AUTH0_CLIENT_ID=${clientId} AUTH0_CLIENT_SECRET=... kansa collect --source auth0`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener("abort", stop, { once: true });
  });
  await emulator.close();
  if (!options.json) options.print(`emulated Auth0 tenant stopped (${emulator.stats.pages} pages, ${emulator.stats.entriesServed} entries served)`);
  return 0;
}
