/**
 * Where kansa's own files are (prisma/, templates/), whether it runs from src/ through tsx or
 * compiled under dist/: the nearest folder above this file that holds kansa's package.json.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "kansa") return dir;
    if (dirname(dir) === dir) throw new Error(`kansa's package.json was not found above ${start}`);
  }
}

/** The project's root folder (the one with package.json, prisma/ and templates/). */
export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
