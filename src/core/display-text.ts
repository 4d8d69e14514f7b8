/**
 * The one escaping of untrusted strings (log fields, tenant names, accounts...) for people to
 * read: in the terminal, in log lines and in the mail. Characters that are invisible or that
 * act on the display instead of showing become `\u{XXXX}`, so a string can neither forge a line,
 * move the cursor, set a terminal's title, reorder text nor hide what it says.
 * Escaping for HTML is not done here: the templates escape.
 */

// Cc: C0 and C1 controls (ESC, BEL, CR, LF, CSI...). Cf: format characters, which include the
// bidirectional controls, zero-width characters, U+00AD SOFT HYPHEN, U+061C ARABIC LETTER MARK,
// U+FEFF and the tag characters. Zl, Zp: line and paragraph separators. Cs: lone surrogates.
// Then what Unicode calls default-ignorable and renders as nothing although it is a letter or a
// mark: the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), U+034F COMBINING GRAPHEME JOINER,
// U+17B4/U+17B5 (Khmer inherent vowels), U+2060–U+206F (unassigned ones too) and the whole tag
// block U+E0000–U+E007F. Variation selectors stay: emoji and Japanese ideographic variants need
// them. U+2800 BRAILLE PATTERN BLANK stays: it shows as a blank, as a space does.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u034f\u115f\u1160\u17b4\u17b5\u2060-\u206f\u3164\uffa0\u{e0000}-\u{e007f}]/gu;

/** `c` as `\u{XXXX}` (at least four hex digits, upper case). */
function escapeCodePoint(c: string): string {
  return `\\u{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}}`;
}

/**
 * A string as shown to a person: invisible and display-changing characters as `\u{XXXX}`, at
 * most `max` characters (the last one "…" when cut). null and undefined are "".
 */
export function displayText(value: string | null | undefined, max = Number.POSITIVE_INFINITY): string {
  if (value === null || value === undefined) return "";
  const visible = value.replace(INVISIBLE, escapeCodePoint);
  if (max === Number.POSITIVE_INFINITY) return visible;
  const chars = Array.from(visible);
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : visible;
}

/**
 * JSON text (from JSON.stringify) safe for a terminal: the characters `displayText` escapes that
 * JSON.stringify leaves raw (C1 controls, DEL, bidirectional controls, U+2028...) written as
 * `\uXXXX` escapes, so the text parses to the same value. C0 controls inside strings are
 * escaped by JSON.stringify already; outside strings there is only the indentation.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(INVISIBLE, (c) =>
    c.charCodeAt(0) < 0x7f ? c : Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`).join(""),
  );
}
