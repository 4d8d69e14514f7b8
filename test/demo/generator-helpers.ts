/** Helpers shared by the generator's tests. */

/**
 * Parses a run of JSON values written back to back with no delimiter (as Firehose writes
 * EventBridge envelopes), the way Python's `raw_decode` loop in seed 000 reads them. Throws when
 * anything but whitespace lies between values.
 */
export function parseConcatenatedJson(text: string): unknown[] {
  const values: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) break;
    if (text[i] !== "{" && text[i] !== "[") throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
    let depth = 0;
    let inString = false;
    let j = i;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (c === "\\") j++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        depth--;
        if (depth === 0) break;
      }
    }
    values.push(JSON.parse(text.slice(i, j + 1)));
    i = j + 1;
  }
  return values;
}

/** Local minutes after midnight of a console `Date` cell (`YYYY-MM-DD HH:mm:ss`). */
export function minuteOfDay(date: string): number {
  return Number(date.slice(11, 13)) * 60 + Number(date.slice(14, 16));
}
