/**
 * Bounds that more than one stage applies to the same input, declared once.
 *
 * MAX_JSON_DEPTH: the deepest nesting accepted in one JSON record (objects and arrays; the
 * record itself is level 1). Everything downstream (JSON.stringify, the id hash, the store)
 * walks a record recursively and Node's stack gives out near 10,000 levels, ending the whole
 * import; no real audit event nests deeper than about 6 (`details.request.body...`). The file reader
 * rejects a deeper value before JSON.parse; the normaliser checks records from any source.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * MAX_JSON_RECORD_BYTES: the longest JSON record (one value of a file, in UTF-8 bytes) the file
 * reader keeps: 4 MiB, the same figure as a CSV record (MAX_RECORD_CHARS). An identity provider's event is
 * a few KB and an EventBridge envelope at most 256 KB (EventBridge's own bound on one event);
 * the bound is sixteen times that, and caps what one record costs: the reader holds at most
 * this plus one chunk. A longer value is rejected with its record and line number and the
 * reader goes on with the rest of the file (see src/sources/files/json-values.ts).
 */
export const MAX_JSON_RECORD_BYTES = 4 * 1024 * 1024;
