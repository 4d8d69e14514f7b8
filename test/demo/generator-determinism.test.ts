import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "node:test";
import { buildOrganisation, encodeConsoleCsv, generateConsoleRows, generateDataset, streamConsoleRows, toStreamFiles, writeSample } from "../../src/tools/generator/index.ts";

const options = { from: "2026-09-20", to: "2026-10-10", consolePerDay: 300, auth0PerDay: 30, people: 40, anomalies: true, hostile: true } as const;

function fingerprint(seed: number): { csv: string; auth0: string; labels: string } {
  const data = generateDataset({ ...options, seed });
  const hash = (b: string | Buffer): string => createHash("sha256").update(b).digest("hex");
  return {
    csv: hash(encodeConsoleCsv(data.consoleRows, { lang: "ja", encoding: "sjis" })),
    auth0: hash(toStreamFiles(data.auth0Events, { seed }).map((f) => f.key + f.content).join("\n")),
    labels: hash(JSON.stringify(data.labels)),
  };
}

test("the same seed gives byte-identical console CSV, Auth0 stream files and labels", () => {
  assert.deepEqual(fingerprint(11), fingerprint(11));
});

test("a different seed gives different data", () => {
  const a = fingerprint(11);
  const b = fingerprint(12);
  assert.notEqual(a.csv, b.csv);
  assert.notEqual(a.auth0, b.auth0);
});

async function listFiles(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(relative(dir, path), createHash("sha256").update(await readFile(path)).digest("hex"));
  }
  return out;
}

test("writeSample twice with the same seed writes the same file names and bytes", async () => {
  const root = await mkdtemp(join(tmpdir(), "kansa-gen-"));
  try {
    const sampleOptions = { seed: 4, from: "2026-09-25", to: "2026-10-05", consolePerDay: 200, auth0PerDay: 20, people: 30 };
    const a = await writeSample(join(root, "a"), sampleOptions);
    const b = await writeSample(join(root, "b"), sampleOptions);
    assert.equal(a.consoleRows, b.consoleRows);
    const filesA = await listFiles(join(root, "a"));
    const filesB = await listFiles(join(root, "b"));
    assert.ok(filesA.size > 3);
    assert.deepEqual([...filesA].sort(), [...filesB].sort());
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("streamed and in-memory generation agree, and writing a sample streamed or from a dataset gives the same files", async () => {
  const org = buildOrganisation({ seed: 6, people: 25 });
  const range = { from: "2026-10-01", to: "2026-10-06", perDay: 120 };
  assert.deepEqual([...streamConsoleRows(org, range)], generateConsoleRows(org, range));

  const root = await mkdtemp(join(tmpdir(), "kansa-gen-"));
  try {
    const sampleOptions = { seed: 6, people: 25, from: "2026-09-27", to: "2026-10-06", consolePerDay: 120, auth0PerDay: 15, split: "week" as const };
    const streamed = await writeSample(join(root, "streamed"), sampleOptions);
    const fromDataset = await writeSample(join(root, "dataset"), { ...sampleOptions, dataset: generateDataset(sampleOptions) });
    assert.equal(streamed.consoleRows, 1200);
    assert.equal(streamed.auth0Events, 150);
    assert.deepEqual({ ...streamed, dir: "", consoleFiles: streamed.consoleFiles.length, auth0Files: streamed.auth0Files.length }, { ...fromDataset, dir: "", consoleFiles: fromDataset.consoleFiles.length, auth0Files: fromDataset.auth0Files.length });
    assert.deepEqual([...(await listFiles(join(root, "streamed")))].sort(), [...(await listFiles(join(root, "dataset")))].sort());
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
