#!/usr/bin/env node
/**
 * kansa's command line: parses arguments and dispatches to one module per command under
 * src/cli/. This is the only place that exits the process.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { KansaError, errorMessage } from "./core/errors.ts";
import { registerDb } from "./cli/db.ts";
import { registerImport } from "./cli/import.ts";
import { registerStatus } from "./cli/status.ts";
import { registerPrune } from "./cli/prune.ts";
import { registerCollect } from "./cli/collect.ts";
import { registerBackfill } from "./cli/backfill.ts";
import { registerWorker } from "./cli/worker.ts";
import { registerEnqueue } from "./cli/enqueue.ts";
import { registerRun } from "./cli/run.ts";
import { registerScore } from "./cli/score.ts";
import { registerCalibrate } from "./cli/calibrate.ts";
import { registerEmulate } from "./cli/emulate.ts";
import { registerReport } from "./cli/report.ts";
import { registerAck } from "./cli/ack.ts";
import { useLeanHeap } from "./core/memory.ts";
import { projectRoot } from "./core/paths.ts";
import { assertRegistryComplete, sourceNames } from "./sources/registry.ts";

useLeanHeap();

const program = new Command();
program
  .name("kansa")
  .description(`Collects audit logs (sources: ${sourceNames().join(", ")}), scores each entry against last month and mails a daily report.`)
  .version((JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { version: string }).version, "-V, --version", "print kansa's version")
  .showHelpAfterError()
  .exitOverride();

let pending: Promise<number> | undefined;
/** Commands hand their work here so that main() can await it and turn it into an exit code. */
function run(work: () => Promise<number>): void {
  pending = work();
}

registerDb(program, run);
registerImport(program, run);
registerStatus(program, run);
registerPrune(program, run);
registerCollect(program, run);
registerBackfill(program, run);
registerWorker(program, run);
registerEnqueue(program, run);
registerRun(program, run);
registerScore(program, run);
registerCalibrate(program, run);
registerEmulate(program, run);
registerReport(program, run);
registerAck(program, run);

async function main(): Promise<number> {
  assertRegistryComplete();
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return pending ? await pending : 0;
}

/**
 * Exit once everything written to stdout and stderr is out: writes to a pipe are asynchronous,
 * and process.exit() would cut `kansa score | ...` short.
 */
function exitWhenWritten(code: number): void {
  let streams = 2;
  const written = () => {
    streams -= 1;
    if (streams === 0) process.exit(code);
  };
  process.stdout.write("", written);
  process.stderr.write("", written);
}

main().then(
  (code) => exitWhenWritten(code),
  (error: unknown) => {
    const code = error instanceof KansaError ? ` [${error.code}]` : "";
    process.stderr.write(`kansa: ${errorMessage(error)}${code}\n`);
    if (process.env.KANSA_DEBUG && error instanceof Error) process.stderr.write(`${error.stack ?? ""}\n`);
    exitWhenWritten(1);
  },
);
