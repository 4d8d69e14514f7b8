/**
 * The sources kansa knows: the only file that lists them, one line each. Adding a source is one
 * folder under src/sources exporting a SourceDefinition (./contract.ts) and one line below.
 *
 * Extra sources, for tests and local plug-ins, come from KANSA_EXTRA_SOURCES: module paths
 * separated by ",", each module's default export a SourceDefinition, appended after the built-in
 * ones. It is read here, not in src/core/config.ts, because configuration is built from what the
 * sources declare: the list of sources has to be complete before any setting is parsed. A test
 * registers its throwaway source with this one variable and touches no file of src/.
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import type { Config } from "../core/config.ts";
import { ConfigError } from "../core/errors.ts";
import type { FileFormat, RawBatch, Source, SourceDefinition } from "./contract.ts";
import { auth0 } from "./auth0/index.ts";
import { kintone } from "./kintone/index.ts";

const builtIn: SourceDefinition[] = [
  auth0,
  kintone,
];

function isDefinition(value: unknown): value is SourceDefinition {
  const v = value as Partial<SourceDefinition> | null;
  return typeof v === "object" && v !== null && typeof v.name === "string" && v.name !== "" && typeof v.create === "function" && typeof v.normalize === "function" && Array.isArray(v.files);
}

/** The sources named by KANSA_EXTRA_SOURCES (see the module comment). */
async function extraSources(list: string | undefined): Promise<SourceDefinition[]> {
  const paths = (list ?? "").split(",").map((p) => p.trim()).filter((p) => p !== "");
  const extra: SourceDefinition[] = [];
  for (const path of paths) {
    const module = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
    if (!isDefinition(module.default)) throw new ConfigError(`KANSA_EXTRA_SOURCES: ${path} does not export a source definition as its default export.`);
    extra.push(module.default);
  }
  return extra;
}

/** Every registered source, built-in first. */
export const sourceRegistry: readonly SourceDefinition[] = [...builtIn, ...(await extraSources(process.env.KANSA_EXTRA_SOURCES))];

for (const [i, definition] of sourceRegistry.entries()) {
  if (sourceRegistry.findIndex((d) => d.name === definition.name) !== i) throw new ConfigError(`Two sources are named "${definition.name}".`);
}

/** The sources whose settings are complete. */
export function configuredSources(config: Config): Source[] {
  return sourceRegistry.map((entry) => entry.create(config)).filter((s): s is Source => s !== null);
}

/** The registry entry for `name`, or undefined. */
export function sourceEntry(name: string): SourceDefinition | undefined {
  return sourceRegistry.find((entry) => entry.name === name);
}

/** The registered names, for messages ("one of auth0, kintone"). */
export function sourceNames(): string[] {
  return sourceRegistry.map((entry) => entry.name);
}

/** The source whose normaliser reads `batch`; throws when no registered source has its name. */
export function definitionOf(batch: RawBatch): SourceDefinition {
  const entry = sourceEntry(batch.source);
  if (!entry) throw new ConfigError(`No registered source is named "${batch.source}" (origin ${batch.origin}).`);
  return entry;
}

/** Every file format `kansa import` reads, in registry order. */
export function fileFormats(): FileFormat[] {
  return sourceRegistry.flatMap((entry) => entry.files);
}
