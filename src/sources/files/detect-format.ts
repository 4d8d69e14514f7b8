/** What the files reader tells from a file's first bytes before any source's format looks at it. */

/** Whether the bytes start a gzip stream (Firehose can compress what it writes). */
export function isGzip(sample: Uint8Array): boolean {
  return sample[0] === 0x1f && sample[1] === 0x8b;
}
