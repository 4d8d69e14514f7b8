/**
 * Running the kansa CLI as a child process the way a user runs it, for the benches that measure
 * whole commands (import, scale): its output in files, and its own wall time, peak RSS and CPU
 * time, read from a hook loaded into the child that writes its resource usage at exit.
 */
import { spawn } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));

/** The AuditEvent columns a COPY of stored rows names, in the table's order. */
export const AUDIT_EVENT_COLUMNS = `"source","tenant","externalId","occurredAt","account","action","ip","ipParsed","appId","appName","userAgent","level","result","isExport","isCritical","isLogin","isFailedLogin","raw"`;

/**
 * Written into each kansa child with --import: at exit, the process's own resource usage as JSON
 * into BENCH_USAGE_FILE (the 'exit' event fires on process.exit and on normal ends alike).
 */
const USAGE_HOOK = `data:text/javascript,${encodeURIComponent(
  `import { writeFileSync } from "node:fs";
   process.on("exit", () => {
     const u = process.resourceUsage();
     writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify({ maxRssKb: u.maxRSS, cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6 }));
   });`,
)}`;

/** Settings a developer's shell may carry that would change what kansa does here (sources, mail, database, clock). */
const AMBIENT = /^(KINTONE_|AUTH0_|SMTP_|MAILGUN_|SENDGRID_|MAIL_|KANSA_|DATABASE_URL$|FEATURE_SET$|REPORT_TIMEZONE$|CONSOLE_TIMEZONE$|ANOMALY_LENGTH$|TARGET_FPR$|RETENTION_DAYS$|NODE_OPTIONS$)/;

export interface KansaRun {
  /** The CLI entry: src/cli.ts (with nodeFlags ["--import", "tsx"]), bin/kansa.js, or a compiled cli.js. */
  cli: string;
  args: string[];
  /** The child's environment besides the developer's shell, without the settings AMBIENT names. */
  env: Record<string, string>;
  /** Folder for the child's stdout, stderr and usage files, named after `label`. */
  logs: string;
  label: string;
  nodeFlags?: string[];
}

/** Run `kansa ARGS`; its wall time, peak RSS, CPU time and stdout. A non-zero exit is an error quoting stderr's end. */
export async function runKansa({ cli, args, env, logs, label, nodeFlags = [] }: KansaRun): Promise<{ seconds: number; peakRssMb: number; cpuSeconds: number; stdout: string }> {
  const usageFile = join(logs, `${label}.usage.json`);
  const stdoutFile = join(logs, `${label}.stdout`);
  const stderrFile = join(logs, `${label}.stderr`);
  const childEnv: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!AMBIENT.test(key)) childEnv[key] = value;
  const started = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, "--import", USAGE_HOOK, cli, ...args], {
      cwd: root,
      env: { ...childEnv, ...env, BENCH_USAGE_FILE: usageFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.pipe(createWriteStream(stdoutFile));
    child.stderr.pipe(createWriteStream(stderrFile));
    child.once("error", reject);
    child.once("close", (c) => resolve(c));
  });
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`kansa ${args.join(" ")} exited with ${code}: ${readFileSync(stderrFile, "utf8").slice(-2000)}`);
  const usage = JSON.parse(readFileSync(usageFile, "utf8")) as { maxRssKb: number; cpuSeconds: number };
  return { seconds, peakRssMb: Math.round(usage.maxRssKb / 1024), cpuSeconds: usage.cpuSeconds, stdout: readFileSync(stdoutFile, "utf8") };
}
