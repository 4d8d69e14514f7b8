#!/usr/bin/env node
// The `kansa` bin: the TypeScript source through tsx (always current). Heroku's Procfile runs
// the compiled dist/src/cli.js instead (`npm run build`).
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";
import { register } from "tsx/esm/api";

register();
await import(pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), "..", "src", "cli.ts")).href);
