/**
 * Which encoding a console CSV is in: UTF-8 (with or without a byte-order mark), UTF-16 with a
 * byte-order mark, or else Shift-JIS (read as CP932, Windows' Shift-JIS, which Japanese Excel
 * and the console's "CSV Shift-JIS" archives use).
 */

export type CsvEncoding = "utf-8" | "utf-16le" | "utf-16be" | "cp932";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Guess from the first bytes of a file (`complete` says whether they are the whole file). A
 * sample that is valid UTF-8 (after allowing for a sequence cut at its end) is UTF-8. So is one
 * whose lines are mostly valid UTF-8 with non-ASCII text and only a few invalid: a UTF-8 export
 * with an odd Shift-JIS row is read as UTF-8 and that row alone rejected (read-console-csv.ts),
 * rather than every name garbled. Shift-JIS text is almost never valid UTF-8, so a Shift-JIS
 * export has next to no valid non-ASCII lines.
 */
export function detectEncoding(sample: Uint8Array, complete: boolean): CsvEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return "utf-8";
  if (sample[0] === 0xff && sample[1] === 0xfe) return "utf-16le";
  if (sample[0] === 0xfe && sample[1] === 0xff) return "utf-16be";
  let bytes = sample;
  if (!complete) {
    // Drop a multi-byte sequence that the sample boundary cut.
    let cut = bytes.length;
    for (let k = 1; k <= 3 && cut - k >= 0; k++) {
      const b = bytes[cut - k]!;
      if ((b & 0xc0) === 0x80) continue; // continuation byte
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (need > k) cut -= k;
      break;
    }
    bytes = bytes.subarray(0, cut);
  }
  if (isUtf8(bytes)) return "utf-8";
  // Line by line (LF is 0x0A in both encodings, never part of a Shift-JIS character).
  let valid = 0;
  let invalid = 0;
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    const line = bytes.subarray(start, end);
    if (!isUtf8(line)) invalid += 1;
    else if (line.some((b) => b >= 0x80)) valid += 1;
    start = end + 1;
  }
  return valid > invalid ? "utf-8" : "cp932";
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
