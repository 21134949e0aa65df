import type { HashOn } from './balancer-policy.js';

/** Request headers as Node reports them: lowercase names, repeated ones as arrays. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/**
 * The key a consistent-hash policy hashes, read from the request: the header's value (the first
 * if repeated), the named cookie's value from the Cookie header(s) (the first if repeated,
 * surrounding quotes removed), or the client address. Undefined when the request has none, or it
 * is empty: the balancer then picks a random endpoint rather than sending every such request to
 * one. `on.header` must be lowercase, as parseBalancerPolicy returns it. Allocates only the
 * returned cookie value.
 */
export function hashKeyOf(on: HashOn, headers: RequestHeaders, clientAddress: string | undefined): string | undefined {
  if ('header' in on) return nonEmpty(first(headers[on.header]));
  if ('cookie' in on) {
    const cookie = headers['cookie'];
    if (typeof cookie === 'string') return cookieValue(cookie, on.cookie);
    if (cookie === undefined) return undefined;
    for (const line of cookie) {
      const value = cookieValue(line, on.cookie);
      if (value !== undefined) return value;
    }
    return undefined;
  }
  return nonEmpty(clientAddress);
}

function first(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' || value === undefined ? value : value[0];
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

const QUOTE = 0x22;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * The value of cookie `name` in one Cookie header (`a=1; b="2"`, RFC 6265 section 5.4), scanned
 * in place: pairs split on `;`, optional whitespace around names and values ignored, pairs
 * without `=` skipped. The first pair of that name decides, as browsers send the most specific
 * (longest path) first; an empty value gives undefined.
 */
function cookieValue(header: string, name: string): string | undefined {
  const length = header.length;
  let start = 0;
  while (start < length) {
    let end = header.indexOf(';', start);
    if (end < 0) end = length;
    let nameStart = start;
    while (nameStart < end && isSpace(header.charCodeAt(nameStart))) nameStart++;
    const equals = header.indexOf('=', nameStart);
    if (equals >= 0 && equals < end) {
      let nameEnd = equals;
      while (nameEnd > nameStart && isSpace(header.charCodeAt(nameEnd - 1))) nameEnd--;
      if (nameEnd - nameStart === name.length && header.startsWith(name, nameStart)) {
        let valueStart = equals + 1;
        let valueEnd = end;
        while (valueStart < valueEnd && isSpace(header.charCodeAt(valueStart))) valueStart++;
        while (valueEnd > valueStart && isSpace(header.charCodeAt(valueEnd - 1))) valueEnd--;
        if (valueEnd - valueStart >= 2 && header.charCodeAt(valueStart) === QUOTE && header.charCodeAt(valueEnd - 1) === QUOTE) {
          valueStart++;
          valueEnd--;
        }
        return valueEnd > valueStart ? header.slice(valueStart, valueEnd) : undefined;
      }
    }
    start = end + 1;
  }
  return undefined;
}
