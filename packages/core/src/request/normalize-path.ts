import { SwitchyardError } from '../errors.js';
import { CHAR_CLASS, PCHAR, UNRESERVED, hexValue, percentEncodeByte } from './char-classes.js';

const SLASH = 47;
const PERCENT = 37;
/**
 * Anything that may need work: a character outside pchar and "/" (which covers "%", "?",
 * "#" and non-ASCII), "//", or "/." (perhaps a dot-segment).
 */
const NEEDS_WORK = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/]|\/[/.]/;

/**
 * Normalizes a request target's path, once, before matching; the result is what is
 * matched and what is forwarded, so an upstream never sees a path the router did not route.
 *
 * - the query string (and any fragment) is cut off;
 * - percent-encoded unreserved characters are decoded, other encodings keep their
 *   escape with uppercase hex (`%2f` becomes `%2F`, and stays a character of its segment);
 * - characters outside RFC 3986 `pchar` are percent-encoded (a code unit up to 0xFF as the
 *   byte Node's latin1 URL string stands for, anything above as UTF-8);
 * - consecutive slashes are merged and `.` and `..` segments resolved (RFC 3986 5.2.4;
 *   `..` above the root stays at the root), a trailing slash is kept.
 *
 * @throws SwitchyardError `SWY_REQUEST_BAD_PATH` (status 400) for a path that does not
 *   start with `/` or holds an invalid percent-encoding.
 */
export function normalizePath(rawPath: string): string {
  // Most paths are already normal: one native regex scan proves it.
  if (rawPath.charCodeAt(0) === SLASH && !NEEDS_WORK.test(rawPath)) return rawPath;
  let end = rawPath.indexOf('?');
  const hash = rawPath.indexOf('#');
  if (hash !== -1 && (end === -1 || hash < end)) end = hash;
  if (end === -1) end = rawPath.length;
  if (end === 0 || rawPath.charCodeAt(0) !== SLASH) throw badPath(rawPath, 'must start with "/"');
  const path = end === rawPath.length ? rawPath : rawPath.slice(0, end);
  return removeDotSegments(canonicalizeEncoding(path));
}

/** Decodes unreserved escapes, uppercases the others, encodes what is not pchar. */
function canonicalizeEncoding(path: string): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code === PERCENT) {
      const high = hexValue(path.charCodeAt(i + 1));
      const low = hexValue(path.charCodeAt(i + 2));
      if (high < 0 || low < 0) throw badPath(path, `holds an invalid percent-encoding at offset ${i}`);
      const byte = (high << 4) | low;
      out += byte < 128 && (CHAR_CLASS[byte]! & UNRESERVED) !== 0 ? String.fromCharCode(byte) : percentEncodeByte(byte);
      i += 2;
    } else if (code === SLASH || (code < 128 && (CHAR_CLASS[code]! & PCHAR) !== 0)) {
      out += path[i];
    } else if (code <= 0xff) {
      out += percentEncodeByte(code);
    } else {
      const char = String.fromCodePoint(path.codePointAt(i)!);
      out += encodeURIComponent(char);
      i += char.length - 1;
    }
  }
  return out;
}

/** Merges slashes and resolves `.` and `..` segments; keeps a trailing slash. */
function removeDotSegments(path: string): string {
  const segments = path.split('/');
  const kept: string[] = [];
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment === '' || segment === '.') continue;
    if (segment === '..') kept.pop();
    else kept.push(segment);
  }
  const last = segments[segments.length - 1];
  const trailingSlash = last === '' || last === '.' || last === '..';
  if (kept.length === 0) return '/';
  return '/' + kept.join('/') + (trailingSlash ? '/' : '');
}

function badPath(path: string, why: string): SwitchyardError {
  return new SwitchyardError('SWY_REQUEST_BAD_PATH', `Bad request path ${JSON.stringify(truncate(path))}: ${why}.`, {
    statusCode: 400,
    field: 'path',
  });
}

function truncate(value: string): string {
  return value.length > 200 ? value.slice(0, 200) + '…' : value;
}
