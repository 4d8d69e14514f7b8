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
import { ConfigError, errorMessage } from "../core/errors.ts";
import type { FileFormat, RawBatch, Source, SourceDefinition } from "./contract.ts";
import { auth0 } from "./auth0/index.ts";
import { kintone } from "./kintone/index.ts";

const builtIn: SourceDefinition[] = [
  auth0,
  kintone,
];

/** What a module's default export lacks to be a source definition ("" when nothing). */
function missingParts(value: unknown): string {
  const v = value as Partial<SourceDefinition> | null;
  if (typeof v !== "object" || v === null) return "a default export that is a source definition (see src/sources/contract.ts)";
  const missing = [
    typeof v.name === "string" && v.name !== "" ? "" : "name",
    ...(["create", "normalize", "classify"] as const).map((key) => (typeof v[key] === "function" ? "" : `${key}()`)),
    Array.isArray(v.files) ? "" : "files",
    typeof v.settings === "object" && v.settings !== null ? "" : "settings",
    v.appIdKind === "number" || v.appIdKind === "text" ? "" : 'appIdKind ("number" or "text")',
  ].filter((part) => part !== "");
  return missing.join(", ");
}

/** Why the registry is incomplete (a bad KANSA_EXTRA_SOURCES entry, two sources of one name); null when it is not. */
let problem: ConfigError | null = null;

/** The sources named by KANSA_EXTRA_SOURCES (see the module comment); a bad one is left out and recorded in `problem`. */
async function extraSources(list: string | undefined): Promise<SourceDefinition[]> {
  const paths = (list ?? "").split(",").map((p) => p.trim()).filter((p) => p !== "");
  const extra: SourceDefinition[] = [];
  for (const path of paths) {
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
    } catch (error) {
      problem ??= new ConfigError(`KANSA_EXTRA_SOURCES: could not load ${path}: ${errorMessage(error)}`);
      continue;
    }
    const missing = missingParts(module.default);
    if (missing !== "") problem ??= new ConfigError(`KANSA_EXTRA_SOURCES: ${path} is not a source definition: it lacks ${missing}.`);
    else extra.push(module.default as SourceDefinition);
  }
  return extra;
}

/** Every registered source, built-in first. */
export const sourceRegistry: readonly SourceDefinition[] = [...builtIn, ...(await extraSources(process.env.KANSA_EXTRA_SOURCES))];

for (const [i, definition] of sourceRegistry.entries()) {
  if (sourceRegistry.findIndex((d) => d.name === definition.name) !== i) problem ??= new ConfigError(`Two sources are named "${definition.name}".`);
}

/**
 * Throws what made the registry incomplete, if anything. Loading the registry never throws (it
 * runs as its module is imported, before the CLI could say anything); the CLI calls this first.
 */
export function assertRegistryComplete(): void {
  if (problem) throw problem;
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
