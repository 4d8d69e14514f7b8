/** The generic files reader of `kansa import`: walks, opens and splits files; each source's formats read them into RawBatches. */
export { readFiles, readOneFile, detectFormat, type FileItem, type ReadFilesOptions } from "./read-files.ts";
export { firstContentByte, isGzip } from "./detect-format.ts";
export { splitJsonValues, type JsonValueItem } from "./json-values.ts";
export { hostOf } from "./tenant.ts";
export { walkFiles } from "./walk.ts";
