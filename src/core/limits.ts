/**
 * Bounds that more than one stage applies to the same input, declared once.
 *
 * MAX_JSON_DEPTH: the deepest nesting accepted in one JSON record (objects and arrays; the
 * record itself is level 1). Everything downstream (JSON.stringify, the id hash, the store)
 * walks a record recursively and Node's stack gives out near 10,000 levels, ending the whole
 * import; no Auth0 event nests deeper than about 6 (`details.request.body...`). The file reader
 * rejects a deeper value before JSON.parse; the normaliser checks records from any source.
 */
export const MAX_JSON_DEPTH = 64;
