/** What the files reader tells from a file's first bytes before any source's format looks at it. */

/** Whether the bytes start a gzip stream (Firehose can compress what it writes). */
export function isGzip(sample: Uint8Array): boolean {
  return sample[0] === 0x1f && sample[1] === 0x8b;
}

/** The index of the first byte after a UTF-8 BOM and white space (the sample's length when there is none). */
export function firstContentByte(sample: Uint8Array): number {
  let i = sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf ? 3 : 0;
  while (i < sample.length && (sample[i] === 0x20 || sample[i] === 0x0a || sample[i] === 0x0d || sample[i] === 0x09)) i++;
  return i;
}
