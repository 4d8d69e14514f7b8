/** CRC-32 as an unsigned 32-bit number (the `crc-32` package returns a signed int32). */
import CRC32 from "crc-32";

/** Standard zlib/IEEE CRC-32 of the string's UTF-8 bytes, as 0 .. 2^32 − 1. crc32("") = 0. */
export function unsignedCrc32(text: string): number {
  return CRC32.str(text) >>> 0;
}
