/**
 * Organisations: who kansa watches. One deployment may watch several organisations (KANSA_CONFIG),
 * each with its own report time zone and language, recipients, detection settings and source
 * instances; without KANSA_CONFIG the single-organisation environment variables mean one
 * organisation named "default", exactly as before.
 *
 * KANSA_CONFIG is JSON text (it starts with "{") or the path of a file holding it:
 *   { "organisations": [ { "name", "timezone", "lang", "sendTo", "detection", "sources": [ { "type", ... } ] } ] }
 * Nothing is parsed twice: an organisation's fields become the environment variables of their
 * settings (timezone → REPORT_TIMEZONE, detection.anomalyLength → ANOMALY_LENGTH, a source's
 * fields → its SourceDefinition.instanceFields), and the settings' own parsers (loadConfig) read
 * them. A secret is only ever named by environment variable (`passwordEnv`), never written in the
 * document. The single-organisation source variables are refused when KANSA_CONFIG is set (they
 * would be silently ignored) and cleared, so that no instance inherits another's console.
 *
 * Every problem is one ConfigError sentence naming KANSA_CONFIG, the organisation, the source and
 * the field, in the document's own terms (a setting's "X must be ..." is re-worded to the field).
 */
import { readFileSync } from "node:fs";
import { coreSettings, type Config, type Env, type Setting } from "../core/config.ts";
import { ConfigError } from "../core/errors.ts";
import { registerSecret } from "../core/secrets.ts";
import { DEFAULT_ORGANISATION, pairKey } from "../core/types.ts";
import type { Source, SourceDefinition } from "./contract.ts";
import { loadConfig } from "./config.ts";
import { configuredSources, sourceEntry, sourceNames, sourceRegistry } from "./registry.ts";

export { DEFAULT_ORGANISATION } from "../core/types.ts";

/** One configured source instance: the source, and the settings it collects and normalises with. */
export interface SourceInstance {
  source: Source;
  /** The organisation's settings with this instance's own fields applied (its console time zone, say). */
  config: Config;
}

export interface Organisation {
  /** Its name (KANSA_CONFIG's `name`), or "default". */
  name: string;
  /** Its settings: the environment's, with the organisation's time zone, language, recipients and detection settings applied. */
  config: Config;
  /** Its source instances, in the order configured. */
  sources: SourceInstance[];
  /** True when it comes from KANSA_CONFIG (its report covers only its own tenants). */
  configured: boolean;
}

/** Every organisation of the environment: KANSA_CONFIG's, else the one of the single-organisation variables. */
export function loadOrganisations(env: Env = process.env): Organisation[] {
  const document = env.KANSA_CONFIG;
  if (document !== undefined && document.trim() !== "") return configuredOrganisations(document, env);
  const config = loadConfig(env);
  return [{ name: DEFAULT_ORGANISATION, config, sources: configuredSources(config).map((source) => ({ source, config })), configured: false }];
}

/**
 * The organisation named by `--org`; without a name, the only one. Several organisations and no
 * name, or an unknown name, is one sentence listing the names.
 */
export function selectOrganisation(organisations: readonly Organisation[], name: string | undefined): Organisation {
  const names = organisations.map((o) => o.name).join(", ");
  if (name === undefined) {
    if (organisations.length === 1) return organisations[0]!;
    throw new ConfigError(`KANSA_CONFIG describes ${organisations.length} organisations (${names}): name one with --org NAME.`);
  }
  const found = organisations.find((o) => o.name === name);
  if (!found && organisations.every((o) => !o.configured)) {
    throw new ConfigError(`--org ${name}: KANSA_CONFIG is not set, so the environment describes one organisation, "${DEFAULT_ORGANISATION}" (omit --org).`);
  }
  if (!found) throw new ConfigError(`--org ${name}: no such organisation; KANSA_CONFIG describes ${names}.`);
  return found;
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ORGANISATION_KEYS = ["name", "timezone", "lang", "sendTo", "detection", "sources"];

/** Where a problem is: the document, then as much of organisation, source and field as known. */
interface At {
  document: string;
  organisation?: string;
  source?: string;
  field?: string;
}

function fail(at: At, what: string): never {
  throw new ConfigError(`${placeOf(at)}: ${what}`);
}

function placeOf(at: At): string {
  const parts = [at.organisation, at.source, at.field === undefined ? undefined : `field ${at.field}`].filter((p) => p !== undefined);
  return parts.length === 0 ? at.document : `${at.document}: ${parts.join(", ")}`;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A value the user wrote, for a message (never a secret's: callers quote only non-secret fields). */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** The settings `detection` may set: every setting of group "Detection", core's and each source's, by its Config key. */
function detectionSettings(): Map<string, Setting<unknown>> {
  const all = [coreSettings as Record<string, Setting<unknown>>, ...sourceRegistry.map((d) => d.settings)];
  const out = new Map<string, Setting<unknown>>();
  for (const declarations of all) {
    for (const [key, setting] of Object.entries(declarations)) if (setting.group === "Detection") out.set(key, setting);
  }
  return out;
}

/** The setting of `variable` among the source's and core's declarations. */
function settingOf(definition: SourceDefinition, variable: string): Setting<unknown> | undefined {
  return [...Object.values(definition.settings), ...Object.values(coreSettings as Record<string, Setting<unknown>>)].find((s) => s.env === variable);
}

/** Every variable some source declares as an instance field. */
function instanceVariables(): Set<string> {
  return new Set(sourceRegistry.flatMap((d) => Object.values(d.instanceFields ?? {})));
}

/** The document's JSON and how messages name it: KANSA_CONFIG, or KANSA_CONFIG and its file. */
function readDocument(value: string): { document: string; json: unknown } {
  const text = value.trim();
  if (text.startsWith("{")) return { document: "KANSA_CONFIG", json: parseJson(text, "KANSA_CONFIG") };
  let fileText: string;
  try {
    fileText = readFileSync(text, "utf8");
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const why = /^[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message;
    throw new ConfigError(`KANSA_CONFIG: could not read the file ${text}: ${why}${code ? ` (${code})` : ""}.`, { cause: error });
  }
  const document = `KANSA_CONFIG (${text})`;
  return { document, json: parseJson(fileText.replace(/^\uFEFF/, ""), document) };
}

/**
 * JSON.parse's verdict without the excerpt of the text V8 quotes (it could hold a secret written
 * where it should not be), and its position as line and column where JSON.parse gives one.
 */
function parseJson(text: string, document: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const reason = message.replace(/, (?:\.\.\.)?".*$/s, "").replace(/ in JSON at position \d+.*$/s, "").replace(/^Unexpected end of JSON input$/, "Unexpected end of the text");
    const match = /at position (\d+)/.exec(message);
    const position = match ? Number(match[1]) : /end of JSON input/.test(message) ? text.length : undefined;
    if (position === undefined) throw new ConfigError(`${document}: invalid JSON: ${reason}.`, { cause: error });
    const before = text.slice(0, position).split("\n");
    const where = `line ${before.length}, column ${before[before.length - 1]!.length + 1} (position ${position})`;
    throw new ConfigError(`${document}: invalid JSON at ${where}: ${reason}.`, { cause: error });
  }
}

/**
 * Runs `read` (loadConfig, a source's create) and re-words a ConfigError about a variable the
 * document set: "X_HOSTNAME must be ..." becomes "KANSA_CONFIG: ..., field hostname: must be ...".
 * An error naming none of them is the environment's own, and passes unchanged.
 */
function asFields<T>(at: At, labels: ReadonlyMap<string, string>, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const named = [...labels.keys()].filter((variable) => new RegExp(`\\b${variable}\\b`).test(error.message));
    if (named.length === 0) throw error;
    const lead = named.find((variable) => error.message.startsWith(`${variable} `));
    let rest = lead === undefined ? error.message : error.message.slice(lead.length + 1);
    for (const variable of named) rest = rest.replace(new RegExp(`\\b${variable}\\b`, "g"), labels.get(variable)!);
    const place = lead === undefined ? at : { ...at, field: labels.get(lead)! };
    throw new ConfigError(`${placeOf(place)}: ${rest}`, { cause: error });
  }
}

/** The organisations KANSA_CONFIG describes (see the module comment). */
function configuredOrganisations(value: string, env: Env): Organisation[] {
  const { document, json } = readDocument(value);
  const top: At = { document };
  if (!isObject(json)) fail(top, 'must be a JSON object such as {"organisations": [...]}.');
  for (const key of Object.keys(json)) if (key !== "organisations") fail(top, `unknown field ${shown(key)}; the document's one field is "organisations".`);
  const list = json.organisations;
  if (!Array.isArray(list)) fail({ ...top, field: "organisations" }, "must be an array of organisations.");
  if (list.length === 0) fail({ ...top, field: "organisations" }, "lists no organisation.");

  const variables = instanceVariables();
  const leaked = [...variables].filter((variable) => (env[variable] ?? "").trim() !== "");
  if (leaked.length > 0) {
    throw new ConfigError(`KANSA_CONFIG is set, so ${listed(leaked)} ${leaked.length === 1 ? "is" : "are"} not used: move ${leaked.length === 1 ? "it" : "them"} into KANSA_CONFIG's sources and unset ${leaked.length === 1 ? "it" : "them"}.`);
  }
  const base: Env = { ...env };
  for (const variable of variables) delete base[variable];

  const names = new Map<string, number>();
  const tenants = new Map<string, { organisation: string; position: number }>();
  return list.map((entry, index) => {
    const organisation = readOrganisation(entry, index, { document, base, env, names });
    for (const [position, instance] of organisation.sources.entries()) {
      const key = pairKey({ source: instance.definition.name, tenant: instance.source.tenant });
      const seen = tenants.get(key);
      if (seen) {
        const owner = seen.organisation === organisation.name ? "this organisation's" : `organisation "${seen.organisation}"'s`;
        fail(
          { document, organisation: `organisation "${organisation.name}"`, source: `source ${position + 1} (${instance.definition.name} "${instance.source.tenant}")`, field: "tenant" },
          `the ${instance.definition.name} tenant "${instance.source.tenant}" is already ${owner} source ${seen.position + 1}; a tenant belongs to one organisation.`,
        );
      }
      tenants.set(key, { organisation: organisation.name, position });
    }
    return { ...organisation, sources: organisation.sources.map(({ source, config }) => ({ source, config })) };
  });
}

interface Reading {
  document: string;
  /** The environment without the single-organisation source variables. */
  base: Env;
  /** The environment as given, where `<field>Env` variables are read. */
  env: Env;
  /** Names seen so far → position (1-based). */
  names: Map<string, number>;
}

type ReadInstance = SourceInstance & { definition: SourceDefinition };

function readOrganisation(entry: unknown, index: number, reading: Reading): Omit<Organisation, "sources"> & { sources: ReadInstance[] } {
  const { document, names } = reading;
  let at: At = { document, organisation: `organisation ${index + 1}` };
  if (!isObject(entry)) fail(at, "must be a JSON object.");
  const name = entry.name;
  if (name === undefined) fail({ ...at, field: "name" }, "is missing; every organisation has a name.");
  if (typeof name !== "string" || !NAME.test(name)) fail({ ...at, field: "name" }, `must be 1 to 64 letters, digits, ".", "_" or "-", got ${shown(name)}.`);
  const earlier = names.get(name);
  if (earlier !== undefined) fail({ ...at, field: "name" }, `"${name}" is already the name of organisation ${earlier}; each organisation's name is its own.`);
  names.set(name, index + 1);
  at = { document, organisation: `organisation "${name}"` };
  for (const key of Object.keys(entry)) {
    if (!ORGANISATION_KEYS.includes(key)) fail({ ...at, field: key }, `is not an organisation field; they are ${listed(ORGANISATION_KEYS)}.`);
  }

  const orgEnv: Env = { ...reading.base };
  /** Variable → the field that set it, for re-worded errors. */
  const labels = new Map<string, string>();
  const set = (variable: string, field: string, text: string) => {
    orgEnv[variable] = text;
    labels.set(variable, field);
  };
  for (const [field, setting] of [["timezone", coreSettings.reportTimezone], ["lang", coreSettings.reportLang]] as const) {
    const value = entry[field];
    if (value === undefined) continue;
    if (typeof value !== "string" || value.trim() === "") fail({ ...at, field }, `must be a non-empty string, got ${shown(value)}.`);
    set(setting.env, field, value);
  }
  if (entry.sendTo !== undefined) {
    const sendTo = entry.sendTo;
    const good = Array.isArray(sendTo) && sendTo.every((a) => typeof a === "string" && a.trim() !== "" && !a.includes(","));
    if (!good) fail({ ...at, field: "sendTo" }, `must be an array of addresses (strings without ","), got ${shown(sendTo)}.`);
    set(coreSettings.sendToList.env, "sendTo", (sendTo as string[]).map((a) => a.trim()).join(","));
  }
  if (entry.detection !== undefined) {
    const detection = entry.detection;
    if (!isObject(detection)) fail({ ...at, field: "detection" }, "must be a JSON object of detection settings.");
    const settings = detectionSettings();
    for (const [key, value] of Object.entries(detection)) {
      const field = `detection.${key}`;
      const setting = settings.get(key);
      if (!setting) fail({ ...at, field }, `is not a detection setting; they are ${listed([...settings.keys()])}.`);
      set(setting.env, field, detectionText(value, { ...at, field }));
    }
  }
  const config = asFields(at, labels, () => loadConfig(orgEnv));

  const list = entry.sources ?? [];
  if (!Array.isArray(list)) fail({ ...at, field: "sources" }, "must be an array of source instances.");
  const sources = list.map((source, position) => readInstance(source, { ...at, source: `source ${position + 1}` }, position, orgEnv, labels, reading.env));
  return { name, config, sources, configured: true };
}

/** A detection value as its variable's text: a string, number or boolean as written, an array of strings joined with ",". */
function detectionText(value: unknown, at: At): string {
  if (typeof value === "string") return value;
  if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(",");
  return fail(at, `must be a string, a number, true or false, or an array of strings, got ${shown(value)}.`);
}

function readInstance(entry: unknown, at: At, position: number, orgEnv: Env, orgLabels: ReadonlyMap<string, string>, env: Env): ReadInstance {
  if (!isObject(entry)) fail(at, "must be a JSON object.");
  const type = entry.type;
  const known = listed(sourceNames());
  if (type === undefined) fail({ ...at, field: "type" }, `is missing; it names the source, one of ${known}.`);
  if (typeof type !== "string") fail({ ...at, field: "type" }, `must name a source, one of ${known}, got ${shown(type)}.`);
  const definition = sourceEntry(type);
  if (!definition) fail({ ...at, field: "type" }, `no source is named ${shown(type)}; the registered sources are ${known}.`);
  const tenantField = typeof entry.tenant === "string" && entry.tenant.trim() !== "" ? entry.tenant.trim() : undefined;
  at = { ...at, source: `source ${position + 1} (${type}${tenantField === undefined ? "" : ` "${tenantField}"`})` };

  const fields = definition.instanceFields ?? {};
  const secret = (field: string) => settingOf(definition, fields[field]!)?.secret === true;
  /** A field's name in messages: as written, else `<field>Env` for a secret, else the field. */
  const labels = new Map(orgLabels);
  for (const [field, variable] of Object.entries(fields)) labels.set(variable, secret(field) ? `${field}Env` : field);
  const instanceEnv: Env = { ...orgEnv };
  const given = new Set<string>();
  const allowed = Object.keys(fields).map((field) => (secret(field) ? `${field}Env` : `${field} (or ${field}Env)`));

  for (const [key, value] of Object.entries(entry)) {
    if (key === "type") continue;
    const viaEnv = !(key in fields) && key.endsWith("Env") && key.slice(0, -3) in fields;
    const field = viaEnv ? key.slice(0, -3) : key;
    const fieldAt = { ...at, field: key };
    if (!(field in fields)) {
      fail(fieldAt, allowed.length === 0 ? `is not a field of ${type} sources, which have only "type".` : `is not a field of ${type} sources; their fields are type, ${listed(allowed)}.`);
    }
    if (given.has(field)) fail(fieldAt, `gives ${field} a second time (as ${field} and ${field}Env); give it once.`);
    given.add(field);
    const variable = fields[field]!;
    let text: string;
    if (viaEnv) {
      if (typeof value !== "string" || !VARIABLE_NAME.test(value)) fail(fieldAt, "must be the name of an environment variable (letters, digits and _).");
      const read = env[value];
      if (read === undefined || read.trim() === "") fail(fieldAt, `the environment variable ${value} is not set.`);
      if (secret(field)) {
        registerSecret(read);
        registerSecret(read.trim());
      }
      text = read;
    } else {
      if (secret(field)) {
        if (typeof value === "string") registerSecret(value);
        fail(fieldAt, `is a secret, so it is never written in KANSA_CONFIG: set ${field}Env to the name of the environment variable that holds it.`);
      }
      if (typeof value === "number" && Number.isFinite(value)) text = String(value);
      else if (typeof value === "string" && value.trim() !== "") text = value;
      else fail(fieldAt, `must be a non-empty string or a number, got ${shown(value)}.`);
    }
    instanceEnv[variable] = text;
    labels.set(variable, key);
  }

  const config = asFields(at, labels, () => loadConfig(instanceEnv));
  const source = asFields(at, labels, () => definition.create(config));
  if (!source) {
    const missing = definition.enabledBy.filter((variable) => (instanceEnv[variable] ?? "").trim() === "");
    const needs = listed(definition.enabledBy.map((variable) => labels.get(variable) ?? variable));
    fail(at, missing.length > 0
      ? `lacks ${listed(missing.map((variable) => labels.get(variable) ?? variable))}; ${type} sources need ${needs}.`
      : `is incomplete: its fields do not enable it (${type} sources need ${needs}).`);
  }
  return { source, config, definition };
}

/**
 * The settings `kansa import --org` reads an organisation's files with: its own, and for each
 * source type it has one instance of, that instance's (so the files of that source are stored
 * under its instance's tenant). With several instances of a type, name the tenant (--tenant).
 */
export function importConfig(organisation: Organisation): Config {
  const merged: Record<string, unknown> = { ...organisation.config };
  for (const definition of sourceRegistry) {
    const instances = organisation.sources.filter(({ source }) => source.name === definition.name);
    if (instances.length !== 1) continue;
    const own = instances[0]!.config as unknown as Record<string, unknown>;
    for (const key of Object.keys(definition.settings)) merged[key] = own[key];
  }
  return merged as unknown as Config;
}
