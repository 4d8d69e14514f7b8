/**
 * The allow-list (KANSA_ALLOW_LIST): rules that describe expected activity, such as a backup
 * account exporting from the office network. The setting is the path of a JSON file or the JSON
 * itself: an array of rules `{ account?, ip?, action?, app?, source?, tenant?, note? }`, each
 * field a string. A rule matches an event when every field it gives matches (see
 * src/report/suppress.ts): `account` case-insensitively, `ip` an address or a network in CIDR
 * notation (`203.0.113.0/24`, `2001:db8::/32`), `app` the app's id or its name, the others
 * exactly. `note` is for the reader and matches nothing. Rules are read and checked when the
 * configuration is loaded: a bad one is one sentence naming the rule and the field.
 */
import { readFileSync } from "node:fs";
import ipaddr from "ipaddr.js";
import { ConfigError } from "./errors.ts";
import { parseAddress, parseIp, type ParsedAddress } from "./ip-address.ts";

export interface AllowRule {
  account?: string;
  ip?: string;
  action?: string;
  app?: string;
  source?: string;
  tenant?: string;
  note?: string;
}

/** The fields a rule matches on, in the order its text names them. */
export const ALLOW_RULE_FIELDS = ["source", "tenant", "account", "ip", "action", "app"] as const;
const FIELDS = new Set<string>([...ALLOW_RULE_FIELDS, "note"]);

const VARIABLE = "KANSA_ALLOW_LIST";

function fail(message: string): never {
  throw new ConfigError(`${VARIABLE} ${message}`, { details: { variable: VARIABLE } });
}

/** An address or a CIDR network as [address, prefix length]; null when `text` is neither. */
export function parseNetwork(text: string): [ParsedAddress, number] | null {
  const slash = text.indexOf("/");
  const address = parseAddress(slash < 0 ? text : text.slice(0, slash));
  if (address === null) return null;
  const max = address.kind() === "ipv4" ? 32 : 128;
  if (slash < 0) return [address, max];
  const bits = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return null;
  return [address, Number(bits)];
}

/** Whether the address `text` (as a log gives it: with a port, in a proxy's list...) lies in `network`. */
export function addressInNetwork(text: string, network: [ParsedAddress, number]): boolean {
  const canonical = parseIp(text);
  const address = canonical === null ? null : parseAddress(canonical);
  if (address === null || address.kind() !== network[0].kind()) return false;
  return (address as ipaddr.IPv4).match(network as [ipaddr.IPv4, number]);
}

/** The rule as short text for the reader: its fields `name=value`, then its note. */
export function allowRuleText(rule: AllowRule): string {
  const fields = ALLOW_RULE_FIELDS.filter((f) => rule[f] !== undefined).map((f) => `${f}=${rule[f]}`);
  return rule.note ? `${fields.join(" ")} (${rule.note})` : fields.join(" ");
}

function checkRule(value: unknown, index: number): AllowRule {
  const where = `rule at index ${index}`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(`${where} must be an object such as {"account": "backup", "ip": "203.0.113.0/24"}.`);
  const rule: AllowRule = {};
  for (const [field, given] of Object.entries(value)) {
    if (!FIELDS.has(field)) fail(`${where} has an unknown field "${field}"; a rule's fields are ${[...FIELDS].join(", ")}.`);
    if (typeof given !== "string" || given.trim() === "") fail(`${where}: field "${field}" must be a non-empty string.`);
    rule[field as keyof AllowRule] = given.trim();
  }
  if (rule.ip !== undefined && parseNetwork(rule.ip) === null) {
    fail(`${where}: field "ip" must be an address or a network such as 203.0.113.0/24, got "${rule.ip}".`);
  }
  if (ALLOW_RULE_FIELDS.every((f) => rule[f] === undefined)) {
    fail(`${where} must give at least one of ${ALLOW_RULE_FIELDS.join(", ")} (a rule without one would match everything).`);
  }
  return rule;
}

/**
 * The rules of KANSA_ALLOW_LIST: `value` is JSON when it starts with `[`, else the path of a
 * JSON file. Unset or empty: no rules. Rules are numbered from 0 in error messages.
 */
export function parseAllowList(value: string | undefined): AllowRule[] {
  const text = value?.trim() ?? "";
  if (text === "") return [];
  let json = text;
  if (!text.startsWith("[")) {
    try {
      json = readFileSync(text, "utf8");
    } catch (error) {
      fail(`names the file "${text}", which cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give a JSON file's path or the JSON array itself.`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    fail(`must be a JSON array of rules${json === text ? "" : ` (in "${text}")`}: ${(error as Error).message}.`);
  }
  if (!Array.isArray(parsed)) fail(`must be a JSON array of rules such as [{"account": "backup", "action": "Record export"}].`);
  return parsed.map((rule, index) => checkRule(rule, index));
}
