/**
 * Logging: JSON lines (pino) when stderr is not a terminal, readable lines when it is.
 * Every line passes through `redactSecrets`. Use `logger.child({ runId, source })` so that
 * every line of a run carries them. A command that keeps a live line at the bottom of the
 * terminal (a progress bar) registers it with `setLiveLine`, and log lines go above it.
 * Strings in a line are shown through `displayText` (readable lines) or with the characters it
 * escapes as JSON escapes (JSON lines): a logged value cannot move the cursor, set the
 * terminal's title or forge a line.
 */
import pino, { type Logger } from "pino";
import { prettyFactory } from "pino-pretty";
import { displayText, terminalSafeJson } from "./display-text.ts";
import { redactSecrets } from "./secrets.ts";

export type { Logger };

/** A line kept at the bottom of the terminal, such as a progress bar, that log lines must not break. */
export interface LiveLine {
  /** Write `text` (whole lines) where the live line is, and draw the live line again below it. */
  writeAbove(text: string): void;
}

let liveLine: LiveLine | null = null;

/**
 * While `line` is set, each log line meant for stderr goes through it: the log line takes the
 * live line's place and the live line is drawn again below, so log lines pile up above a
 * progress bar, never inside it. `null` when the line is gone.
 */
export function setLiveLine(line: LiveLine | null): void {
  liveLine = line;
}

/** Every string of a parsed log line (keys too) through `displayText`; a stack keeps its line breaks. */
function escapeStrings(value: unknown, key = ""): unknown {
  if (typeof value === "string") return key === "stack" ? value.split("\n").map((l) => displayText(l)).join("\n") : displayText(value);
  if (Array.isArray(value)) return value.map((v) => escapeStrings(v));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [displayText(k), escapeStrings(v, k)]));
  }
  return value;
}

/** A readable line from a JSON line, its strings escaped before pino-pretty adds its colours. */
function prettyLine(prettify: (input: object) => string): (line: string) => string {
  return (line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return displayText(line.replace(/\n$/, "")) + "\n";
    }
    return prettify(escapeStrings(parsed) as object);
  };
}

/** A stream that redacts secrets from each serialised line, formats it and writes it. */
function logStream(destination: NodeJS.WritableStream, format: (line: string) => string): pino.DestinationStream {
  return {
    write: (line: string) => {
      const text = format(redactSecrets(line));
      if (liveLine && destination === process.stderr) liveLine.writeAbove(text);
      else destination.write(text);
    },
  };
}

/** Create the process logger. `level` comes from LOG_LEVEL. */
export function createLogger(level: string = "info", options: { pretty?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const usePretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const destination = options.destination ?? process.stderr;
  // Formatted here, line by line, rather than by pino-pretty's stream: its output would reach the
  // terminal later, in between a progress bar's redraws.
  const format = usePretty ? prettyLine(prettyFactory({ colorize: Boolean(process.stderr.isTTY), ignore: "pid,hostname" })) : terminalSafeJson;
  return pino({ level, base: undefined }, logStream(destination, format));
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = pino({ level: "silent" });
