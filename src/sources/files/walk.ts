/** Listing the files to import: files as named, folders recursively (sorted, hidden entries skipped). */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

export type WalkItem = { path: string; size: number } | { path: string; error: string };

/**
 * Every file under the given paths, in a stable order: a named file as given (even if hidden),
 * a folder's files recursively in name order, skipping entries whose name starts with "."
 * (.DS_Store, .git). A path that does not exist is reported, not thrown.
 */
export async function* walkFiles(paths: string[]): AsyncGenerator<WalkItem> {
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      yield { path, error: (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or folder" : (error as Error).message };
      continue;
    }
    if (info.isDirectory()) yield* walkFolder(path);
    else if (info.isFile()) yield { path, size: info.size };
    else yield { path, error: "not a regular file or folder" };
  }
}

async function* walkFolder(folder: string): AsyncGenerator<WalkItem> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    yield { path: folder, error: (error as Error).message };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* walkFolder(path);
    else if (entry.isFile()) {
      const info = await stat(path).catch(() => null);
      if (info) yield { path, size: info.size };
    } else if (entry.isSymbolicLink()) {
      // Followed only to files: a link to a folder could loop back to an ancestor.
      const info = await stat(path).catch(() => null);
      if (info?.isFile()) yield { path, size: info.size };
    }
  }
}
