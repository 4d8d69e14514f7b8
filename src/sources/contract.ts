/**
 * The source contract: what one folder under src/sources declares so that collect, backfill, run
 * and import can handle it without naming it (DESIGN.md, "Sources"; STYLE.md, grove's connectors).
 *
 * A source declares its name, how it resumes, how it collects, how it normalises one raw record,
 * and the file formats `kansa import` reads for it. Everything else is generic and lives outside
 * the source's folder: the orchestrator (src/schedule/collect-source.ts) owns the cursor (it stores
 * a batch, then the batch's cursor: store-then-advance), the run lock, deduplication (the store)
 * and error capture (one failing source never stops the others); the files reader
 * (src/sources/files/) walks folders, opens gzip, splits JSON values and bounds what it reads.
 *
 * To add a source: write `src/sources/<name>/index.ts` exporting a `SourceDefinition`, and add one
 * line to src/sources/registry.ts.
 */
import type { ClassifiableEvent, EventFlags } from "../core/classification.ts";
import type { Config, SettingDeclarations } from "../core/config.ts";
import type { Severity } from "../core/report-model.ts";
import type { CollectContext, NormalizeResult, RawBatch, RawRecord, Rejection, TimeRange } from "../core/types.ts";

export type { RawBatch, RawRecord } from "../core/types.ts";

/**
 * How a source resumes, by kind (crawlee's handlers by kind):
 * - `cursor`: the source advances a cursor of its own (an API checkpoint). The range it is asked
 *   for matters only while it has no cursor: then it starts `startDays` back from now.
 * - `range`: the source re-reads a time range (a console download); its cursor is the end of the
 *   last range collected. A daily run catches up from that cursor, at most `catchUpDays` back
 *   (what the source still serves); a backfill records its progress so a stopped one resumes.
 */
export type Resume = { kind: "cursor"; startDays: number } | { kind: "range"; catchUpDays: number };

/** A configured source: what the orchestrator runs. */
export interface Source {
  readonly name: string;
  readonly tenant: string;
  readonly resume: Resume;
  /** Raw batches for the range, resuming after `cursor` where the source has one. */
  collect(range: TimeRange, cursor: string | null, context: CollectContext): AsyncIterable<RawBatch>;
}

/** What a file format's reader is given. */
export interface FileReadContext {
  /** The file's path (the origin of its batches and rejections). */
  file: string;
  /** The file's first bytes (after gunzip), as detection saw them; `complete` when that is the whole file. */
  sample: Buffer;
  complete: boolean;
  /** `--tenant` on the command line; else the source names the tenant from its settings. */
  tenant: string | undefined;
  /** The settings a format names its tenant from (none set: its default tenant). */
  config: Partial<Config>;
  /** Records per batch. */
  batchSize: number;
}

/** One batch read from a file: the raw batch, the records rejected while reading, and how many were read. */
export interface FileBatch {
  batch: RawBatch;
  rejections: Rejection[];
  /** Records in the batch plus those rejected while reading. */
  read: number;
}

/** A file format `kansa import` reads for a source. */
export interface FileFormat {
  /**
   * Whether a file is in this format, from its first bytes (`complete`: they are the whole file).
   * "certain" when the content is recognised (a header, a key only this format has); "possible"
   * when only the syntax fits (any JSON). The most certain format wins; a tie goes to the source
   * listed first in the registry.
   */
  detect(sample: Buffer, complete: boolean): "certain" | "possible" | null;
  /** What a file of this format holds, for the message on an unrecognised file ("a JSON array, NDJSON, ..."). */
  expected: string;
  /** The files, for `kansa import --help` ("console CSV (Japanese or English header; ...)"). */
  description: string;
  /** Where their tenant comes from without --tenant, for `kansa import --help`. */
  tenantHelp: string;
  /** Read the file's chunks into batches; return the detail shown in the import summary. */
  read(chunks: AsyncIterable<Buffer>, context: FileReadContext): AsyncGenerator<FileBatch, string>;
}

/** Words in both report languages. */
export interface Words {
  en: string;
  ja: string;
}

/** An entry of a source's severity catalogue: how serious the event is, and what it is in words. */
export interface SeverityEntry {
  severity: Severity;
  label: Words;
}

/** One source as the registry lists it. */
export interface SourceDefinition {
  readonly name: string;
  /** The source when its settings are complete, else null (not configured). */
  create(config: Config): Source | null;
  /** The settings that enable it, named in the messages that say what to set. */
  readonly enabledBy: readonly string[];
  /**
   * The settings one instance of it has of its own (where it is, who logs in, its tenant), for
   * KANSA_CONFIG's source entries (./organisations.ts): a field name of the entry → the
   * environment variable of the setting it sets. A secret setting's field is given only as
   * `<field>Env`, naming the variable that holds it. With KANSA_CONFIG, these variables are never
   * read from the environment. Absent: an instance has no fields but `type`.
   */
  readonly instanceFields?: Readonly<Record<string, string>>;
  /** One raw record of a batch → an event, or a rejection naming the record. Pure; never throws. */
  normalize(item: RawRecord, batch: RawBatch, config: Config): NormalizeResult;
  /** The exported files `kansa import` reads for this source (none: it is not imported from files). */
  readonly files: readonly FileFormat[];
  /**
   * Its classification rules (./<name>/classification.ts): an event's flags (critical, export,
   * login, failed login) from its stored fields and raw record under the configuration's rules.
   * Sets the stored flags at normalisation, and the report's sections under the current rules.
   */
  classify(event: ClassifiableEvent, config: Config): EventFlags;
  /** Its settings (./<name>/settings.ts): read with core's into `Config`, listed in the README's table and app.json. */
  readonly settings: SettingDeclarations;
  /**
   * Whether its table of actions (type codes) knows this one. The report counts the day's events
   * whose action it does not know in source health (they are stored and shown as their code).
   * Absent: actions are free text, none is counted.
   */
  isKnownAction?(action: string): boolean;
  /**
   * Its severity catalogue (./<name>/severity.ts, data): how serious an event is under the
   * configuration, or null when the catalogue does not list it. Absent: a critical event is
   * medium, an export medium.
   */
  severityOf?(event: ClassifiableEvent, config: Config): SeverityEntry | null;
  /** The event's action in words (the vendor's description of a type code, for example); null or absent: the action as stored. */
  describe?(event: ClassifiableEvent): Words | null;
  /**
   * Whether the event is session upkeep: a logout, a silent re-authentication. Its being the
   * account's first of the kind is no finding (report/findings/novelty.ts). Absent: none is.
   */
  isSessionUpkeep?(event: ClassifiableEvent): boolean;
  /** Its app ids: numbers (a console app), or text (a client id; the classic vector takes its CRC-32). */
  readonly appIdKind: "number" | "text";
}
