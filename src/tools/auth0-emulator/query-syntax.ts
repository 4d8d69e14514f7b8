/**
 * The part of Auth0's log search query syntax (Lucene query strings) the emulator understands:
 * `field:value`, `field:"quoted value"`, wildcards (`user_name:ann*`), ranges with inclusive
 * `[ ]` or exclusive `{ }` ends and `*` for an open end (`date:[2026-10-01 TO *]`), bare terms
 * (searched in user_name, connection, client_name, type, ip, log_id and description, as Auth0
 * does), `AND`, `OR`, `NOT` / `-`, and parentheses. Juxtaposed clauses are joined with AND.
 * Dotted fields (`details.request.path`) look into nested objects. Anything else is a
 * QuerySyntaxError, which the server answers with Auth0's 400 `invalid_query_string`.
 */

export type LogQuery = (record: Record<string, unknown>) => boolean;

export class QuerySyntaxError extends Error {}

const BARE_FIELDS = ["user_name", "connection", "client_name", "type", "ip", "log_id", "description"];

type Token =
  | { kind: "word"; text: string }
  | { kind: "quoted"; text: string }
  | { kind: "op"; text: "(" | ")" | ":" | "[" | "]" | "{" | "}" | "-" };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '"') {
      let text = "";
      i += 1;
      while (i < input.length && input[i] !== '"') {
        if (input[i] === "\\" && i + 1 < input.length) i += 1;
        text += input[i];
        i += 1;
      }
      if (i >= input.length) throw new QuerySyntaxError("unterminated quoted value");
      i += 1;
      tokens.push({ kind: "quoted", text });
    } else if ("():[]{}".includes(c) || c === "-") {
      // "-" opening a token negates the clause that follows (a "-" inside a word is part of it).
      tokens.push({ kind: "op", text: c as "(" });
      i += 1;
    } else {
      let text = "";
      // A word runs to whitespace or punctuation; a colon inside a time (12:00:00) belongs to it
      // when it follows digits and precedes a digit.
      while (i < input.length && !/\s/.test(input[i]!) && !'()[]{}"'.includes(input[i]!)) {
        if (input[i] === ":" && !(/\d$/.test(text) && /\d/.test(input[i + 1] ?? "") && /^\d{4}-\d{2}-\d{2}T/.test(text))) break;
        if (input[i] === "\\" && i + 1 < input.length) i += 1;
        text += input[i];
        i += 1;
      }
      if (text === "") {
        tokens.push({ kind: "op", text: ":" });
        i += 1;
      } else {
        tokens.push({ kind: "word", text });
      }
    }
  }
  return tokens;
}

function lookup(record: Record<string, unknown>, field: string): unknown {
  let value: unknown = record;
  for (const part of field.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function texts(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (typeof value === "object") return [JSON.stringify(value)];
  return [String(value)];
}

function wildcard(pattern: string): (text: string) => boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) {
    const lower = pattern.toLowerCase();
    return (text) => text.toLowerCase() === lower;
  }
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  const re = new RegExp(`^${source}$`, "is");
  return (text) => re.test(text);
}

/** A range bound as a number when both the bound and the values are dates, else text. */
function dateBound(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new QuerySyntaxError(`"${text}" is not a date`);
  return ms;
}

function rangeMatcher(field: string, lo: string, hi: string, loInclusive: boolean, hiInclusive: boolean): LogQuery {
  const loDate = lo === "*" ? null : dateBound(lo);
  const hiDate = hi === "*" ? null : dateBound(hi);
  const dates = field === "date" || (lo === "*" || loDate !== null) && (hi === "*" || hiDate !== null);
  if (dates && ((lo !== "*" && loDate === null) || (hi !== "*" && hiDate === null))) {
    throw new QuerySyntaxError(`the range of ${field} must be dates such as 2026-10-01`);
  }
  return (record) => {
    for (const text of texts(lookup(record, field))) {
      const v: number | string = dates ? Date.parse(text) : text;
      if (dates && Number.isNaN(v as number)) continue;
      const low = dates ? loDate : lo;
      const high = dates ? hiDate : hi;
      const aboveLow = lo === "*" || (loInclusive ? v >= low! : v > low!);
      const belowHigh = hi === "*" || (hiInclusive ? v <= high! : v < high!);
      if (aboveLow && belowHigh) return true;
    }
    return false;
  };
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): LogQuery {
    const query = this.orExpr();
    if (this.i < this.tokens.length) throw new QuerySyntaxError(`unexpected "${this.describe(this.tokens[this.i]!)}"`);
    return query;
  }

  private describe(token: Token): string {
    return token.text;
  }

  private peekWord(text: string): boolean {
    const t = this.tokens[this.i];
    return t !== undefined && t.kind === "word" && t.text === text;
  }

  private peekOp(text: string): boolean {
    const t = this.tokens[this.i];
    return t !== undefined && t.kind === "op" && t.text === text;
  }

  private orExpr(): LogQuery {
    const parts = [this.andExpr()];
    while (this.peekWord("OR") || this.peekWord("||")) {
      this.i += 1;
      parts.push(this.andExpr());
    }
    return parts.length === 1 ? parts[0]! : (r) => parts.some((p) => p(r));
  }

  private andExpr(): LogQuery {
    const parts = [this.unary()];
    for (;;) {
      if (this.peekWord("AND") || this.peekWord("&&")) {
        this.i += 1;
        parts.push(this.unary());
        continue;
      }
      const next = this.tokens[this.i];
      if (next === undefined || this.peekWord("OR") || this.peekWord("||") || this.peekOp(")")) break;
      parts.push(this.unary());
    }
    return parts.length === 1 ? parts[0]! : (r) => parts.every((p) => p(r));
  }

  private unary(): LogQuery {
    if (this.peekWord("NOT") || this.peekOp("-")) {
      this.i += 1;
      const inner = this.unary();
      return (r) => !inner(r);
    }
    return this.primary();
  }

  private primary(): LogQuery {
    const token = this.tokens[this.i];
    if (token === undefined) throw new QuerySyntaxError("the query ends too early");
    if (token.kind === "op" && token.text === "(") {
      this.i += 1;
      const inner = this.orExpr();
      if (!this.peekOp(")")) throw new QuerySyntaxError('missing ")"');
      this.i += 1;
      return inner;
    }
    if (token.kind === "op") throw new QuerySyntaxError(`unexpected "${token.text}"`);
    this.i += 1;
    if (token.kind === "word" && this.peekOp(":")) {
      this.i += 1;
      return this.fieldValue(token.text);
    }
    const match = token.kind === "quoted" ? (t: string) => t.toLowerCase() === token.text.toLowerCase() : wildcard(token.text);
    return (r) => BARE_FIELDS.some((f) => texts(lookup(r, f)).some(match));
  }

  private fieldValue(field: string): LogQuery {
    if (!/^[A-Za-z_][\w.]*$/.test(field)) throw new QuerySyntaxError(`"${field}" is not a field name`);
    const token = this.tokens[this.i];
    if (token === undefined) throw new QuerySyntaxError(`${field}: has no value`);
    if (token.kind === "op" && (token.text === "[" || token.text === "{")) {
      const lo = this.tokens[this.i + 1];
      const to = this.tokens[this.i + 2];
      const hi = this.tokens[this.i + 3];
      const close = this.tokens[this.i + 4];
      if (
        lo === undefined || lo.kind === "op" || to?.kind !== "word" || to.text !== "TO" || hi === undefined || hi.kind === "op" ||
        close?.kind !== "op" || (close.text !== "]" && close.text !== "}")
      ) {
        throw new QuerySyntaxError(`the range of ${field} must read [FROM TO TO]`);
      }
      this.i += 5;
      return rangeMatcher(field, lo.text, hi.text, token.text === "[", close.text === "]");
    }
    if (token.kind === "op") throw new QuerySyntaxError(`${field}: has no value`);
    this.i += 1;
    const match = token.kind === "quoted" ? (t: string) => t.toLowerCase() === token.text.toLowerCase() : wildcard(token.text);
    if (token.kind === "word" && token.text === "*") return (r) => texts(lookup(r, field)).length > 0;
    return (r) => texts(lookup(r, field)).some(match);
  }
}

/** Compile a query string; throws QuerySyntaxError naming what is wrong. */
export function parseLogQuery(input: string): LogQuery {
  const tokens = tokenize(input);
  if (tokens.length === 0) return () => true;
  return new Parser(tokens).parse();
}
