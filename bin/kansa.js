#!/usr/bin/env node
// kansa from its TypeScript source through tsx (always current, never a stale dist/): what the
// tests, the demo and the benchmarks run, and what bin/kansa (the `kansa` command) falls back
// to when nothing is compiled.
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";
import { register } from "tsx/esm/api";

register();
await import(pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), "..", "src", "cli.ts")).href);
