/**
 * The console's free-text complement. The forms kintone's help pages document
 * (documented-actions.ts names the pages) are read:
 * - `app id: 12, app name: 顧客管理, record id: 5` (records, most app settings);
 * - `app id: [55, 56], revert: false` (App deploy via API: the apps as a list);
 * - `app ids: [[41, 42]], app names: [[顧客管理, 見積]]` (App delete of several apps);
 * - `app id: 1, app name: A, (app id: 2, app name: B)` (bulk delete or restore: the first app);
 * - `file name = 顧客管理, template name: …, app group id = 3` (App create from template file:
 *   the file name is the new app's name; `filename:` of an attachment is not);
 * - `app name: 顧客管理, app group id: 3` (App create: a name and no id).
 * Japanese forms (`アプリID: 12, アプリ名: 顧客管理`) and full-width colons are read too. The
 * login name a failed login tried is the whole complement (loginNameOf).
 */

export interface ComplementApp {
  /** The first app id named, or null (the others stay in the raw complement). */
  appId: string | null;
  /** The first app name named, or null. */
  appName: string | null;
}

const KEY_START = String.raw`(?:^|[,、\s(（\[])`;
const SEP = String.raw`\s*[:：=]\s*`;
const APP_ID = new RegExp(`${KEY_START}(?:app\\s*ids?|appids?|アプリ\\s*ID|アプリ\\s*id)${SEP}`, "iu");
const APP_NAME = new RegExp(`${KEY_START}(?:app\\s*names?|appnames?|アプリ名)${SEP}`, "iu");
const FILE_NAME = new RegExp(`${KEY_START}file\\s+name${SEP}`, "iu");
const TEMPLATE_NAME = new RegExp(`${KEY_START}template\\s*name${SEP}`, "iu");
// A plain value ends at the next ", key:" (a short label followed by a colon) or at the end.
const NEXT_KEY = /\s*[,、]\s*\(?[\p{L}][\p{L}\p{M} _-]{0,30}\s*[:：=]/u;

/** The text after the first match of `label`, or null. */
function after(text: string, label: RegExp): string | null {
  const found = label.exec(text);
  return found ? text.slice(found.index + found[0].length) : null;
}

/**
 * The values a key's text starts with: a bracketed list (`[55, 56]`, `[[41, 42]]`) gives its
 * items, anything else one value up to the next key.
 */
function valuesAt(rest: string): string[] {
  const list = /^\[+([^\]]*)\]/u.exec(rest);
  if (list) return list[1]!.split(/\s*[,、]\s*/u).map((item) => item.trim()).filter((item) => item !== "");
  const end = NEXT_KEY.exec(rest);
  const value = (end ? rest.slice(0, end.index) : rest).trim();
  return value === "" ? [] : [value];
}

/** Every app id (digits) the complement names, in order: `[55, 56]` gives both. */
export function complementAppIds(text: string): string[] {
  const idText = after(text, APP_ID);
  return idText === null ? [] : valuesAt(idText).filter((id) => /^\d+$/u.test(id));
}

/** The first app id and first app name the complement names (see the module comment). */
export function parseComplement(text: string): ComplementApp {
  if (!text) return { appId: null, appName: null };
  let nameText = after(text, APP_NAME);
  // A template file's app: its name is the file name (only beside a template name).
  if (nameText === null && TEMPLATE_NAME.test(text)) nameText = after(text, FILE_NAME);
  return { appId: complementAppIds(text)[0] ?? null, appName: nameText === null ? null : (valuesAt(nameText)[0] ?? null) };
}

/** The longest login name kept from a complement (longer text is not a login name). */
const MAX_LOGIN_NAME = 256;

/**
 * The login name a failed login tried, from its complement ("If login failed, a login name that
 * attempted login is displayed"): the complement itself, trimmed, with a `lockout` marker
 * dropped; null when it is empty, only the marker, holds a line break or is too long.
 */
export function loginNameOf(complement: string): string | null {
  const name = complement.trim().replace(/\s*(?:[,、]\s*lockout|\(lockout\))$/iu, "").trim();
  if (name === "" || name.toLowerCase() === "lockout" || name.length > MAX_LOGIN_NAME || /[\r\n]/u.test(name)) return null;
  return name;
}
