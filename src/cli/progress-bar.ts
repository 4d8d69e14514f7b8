/**
 * A progress bar on the terminal (cli-progress, on stderr) that log lines do not break: while it
 * is shown it is the logger's live line, and each log line is written above it through
 * cli-progress's own `log` (the bar's line is cleared, the log line written, the bar redrawn
 * below). A MultiBar of one bar, because SingleBar puts the cursor back where it started when
 * it stops, which is somewhere up in the log lines by then.
 */
import cliProgress from "cli-progress";
import { setLiveLine } from "../core/logger.ts";

export interface ProgressBar {
  /** Show `percent` (0..100) and the format's fields. */
  update(percent: number, fields: Record<string, string>): void;
  /** Draw the bar a last time and move below it; idempotent. */
  stop(): void;
}

/** Start a bar with cli-progress's `format` (e.g. "{source} |{bar}| {percentage}%") on stderr. */
export function startProgressBar(format: string, fields: Record<string, string>): ProgressBar {
  // forceRedraw: after a log line took its place the bar must be drawn again, changed or not.
  const bars = new cliProgress.MultiBar({ format, hideCursor: true, forceRedraw: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
  const bar = bars.create(100, 0, fields);
  setLiveLine({
    writeAbove: (text) => {
      bars.log(text);
      bars.update(); // now, not at the next tick: the line is out before anything else happens
    },
  });
  let stopped = false;
  return {
    update: (percent, next) => {
      if (!stopped) bar.update(percent, next);
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      setLiveLine(null);
      bars.stop();
    },
  };
}
