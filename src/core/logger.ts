/**
 * Logging: JSON lines (pino) when stderr is not a terminal, readable lines when it is.
 * Every line passes through `redactSecrets`. Use `logger.child({ runId, source })` so that
 * every line of a run carries them.
 */
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import { redactSecrets } from "./secrets.ts";

export type { Logger };

/** A stream that redacts secrets from each serialised line before writing it. */
function redactingStream(target: NodeJS.WritableStream | pino.DestinationStream): pino.DestinationStream {
  return { write: (line: string) => void target.write(redactSecrets(line)) };
}

/** Create the process logger. `level` comes from LOG_LEVEL. */
export function createLogger(level: string = "info", options: { pretty?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const usePretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const destination = options.destination ?? process.stderr;
  const target = usePretty
    ? pretty({ destination: destination as unknown as number, colorize: Boolean(process.stderr.isTTY), sync: true, ignore: "pid,hostname" })
    : destination;
  return pino({ level, base: undefined }, redactingStream(target));
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = pino({ level: "silent" });
