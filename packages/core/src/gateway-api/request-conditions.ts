/**
 * The non-path conditions of one HTTPRoute match (method, headers, query parameters), compiled
 * once; evaluated per request only for the candidates the host and path lookups found, in
 * precedence order, until one holds.
 */

/** The parts of a request the conditions read. */
export interface GatewayRequest {
  readonly method: string | undefined;
  /** Header values by lowercase name, as Node's `IncomingMessage.headers` holds them (repeats joined with `, `). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The query as sent, with its `?`, or ''. */
  readonly query: string;
}

/** Tests one value: exact, or a linear-time regular expression. */
export interface ValueTest {
  test(value: string): boolean;
}

/** An `Exact` string match. */
export class ExactValue implements ValueTest {
  constructor(readonly value: string) {}
  test(value: string): boolean {
    return value === this.value;
  }
}

export class HeaderCondition {
  constructor(
    /** Lowercase: header names are case-insensitive. */
    readonly name: string,
    readonly value: ValueTest,
  ) {}

  holds(request: GatewayRequest): boolean {
    const value = request.headers[this.name];
    if (value === undefined) return false;
    return this.value.test(typeof value === 'string' ? value : value.join(','));
  }
}

export class QueryCondition {
  constructor(
    /** Case-sensitive, as the spec says. */
    readonly name: string,
    readonly value: ValueTest,
  ) {}

  /** With a repeated parameter, the first value is the one tested (the spec leaves it to us). */
  holds(request: GatewayRequest): boolean {
    const value = firstQueryValue(request.query, this.name);
    return value !== undefined && this.value.test(value);
  }
}

/**
 * The first value of query parameter `name` in `query` (`?a=1&b=2`), percent-decoded (a `+`
 * stays a `+`: it means a space only in form bodies); a parameter without `=` has the value ''.
 * Scans the string without splitting it.
 */
export function firstQueryValue(query: string, name: string): string | undefined {
  const length = query.length;
  let start = query.charCodeAt(0) === 0x3f /* ? */ ? 1 : 0;
  while (start < length) {
    let end = query.indexOf('&', start);
    if (end < 0) end = length;
    const equals = query.indexOf('=', start);
    const nameEnd = equals >= 0 && equals < end ? equals : end;
    if (nameEnd - start === name.length && query.startsWith(name, start)) {
      return nameEnd === end ? '' : decodeComponent(query.slice(nameEnd + 1, end));
    }
    start = end + 1;
  }
  return undefined;
}

function decodeComponent(value: string): string {
  if (value.indexOf('%') < 0) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    // Malformed escapes: compared as sent.
    return value;
  }
}
