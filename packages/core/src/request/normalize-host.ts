import { SwitchyardError } from '../errors.js';
import { isIPv4, isIPv6 } from '../ip-address.js';
import { CHAR_CLASS, HOST_CHAR, UPPER_ALPHA } from './char-classes.js';

const COLON = 58;
const DOT = 46;
const OPEN_BRACKET = 91;
/** Anything but lowercase reg-name characters, or a trailing dot. */
const NEEDS_WORK = /[^a-z0-9\-._~!$&'()*+,;=]|\.$/;

/**
 * Normalizes a Host header (or `:authority`): lowercased, `:port` and one trailing dot
 * removed, a bracketed IPv6 literal kept in its brackets. An empty Host stays empty.
 *
 * @throws SwitchyardError `SWY_REQUEST_BAD_HOST` (status 400) for a Host with characters
 *   no registered name, IP literal or port may hold (`/`, `@`, spaces, non-ASCII, ...).
 */
export function normalizeHost(rawHost: string): string {
  // Most hosts are already normal: one native regex scan proves it.
  if (!NEEDS_WORK.test(rawHost)) return rawHost;
  const length = rawHost.length;
  if (rawHost.charCodeAt(0) === OPEN_BRACKET) return normalizeIpLiteral(rawHost);
  let end = length;
  for (let i = 0; i < length; i++) {
    const code = rawHost.charCodeAt(i);
    if (code === COLON) {
      checkPort(rawHost, i + 1);
      end = i;
      break;
    }
    const cls = code < 128 ? CHAR_CLASS[code]! : 0;
    if ((cls & (HOST_CHAR | UPPER_ALPHA)) === 0) throw badHost(rawHost, `holds the character ${JSON.stringify(rawHost[i])}`);
  }
  if (rawHost.charCodeAt(end - 1) === DOT) end--;
  return rawHost.slice(0, end).toLowerCase();
}

/** True for a normalized host that is an IP address (it only reaches rules without a host). */
export function isIpHost(host: string): boolean {
  if (host.charCodeAt(0) === OPEN_BRACKET) return true;
  const last = host.charCodeAt(host.length - 1);
  // A top-level domain is never all digits, so only a digit at the end can be IPv4.
  return last >= 48 && last <= 57 && isIPv4(host);
}

function normalizeIpLiteral(rawHost: string): string {
  const close = rawHost.indexOf(']');
  if (close === -1) throw badHost(rawHost, 'opens "[" without closing it');
  const literal = rawHost.slice(1, close);
  if (!isIPv6(literal)) throw badHost(rawHost, 'is not a valid IPv6 literal');
  if (close + 1 < rawHost.length) {
    if (rawHost.charCodeAt(close + 1) !== COLON) throw badHost(rawHost, 'has characters after "]"');
    checkPort(rawHost, close + 2);
  }
  return '[' + literal.toLowerCase() + ']';
}

function checkPort(rawHost: string, start: number): void {
  for (let i = start; i < rawHost.length; i++) {
    const code = rawHost.charCodeAt(i);
    if (code < 48 || code > 57) throw badHost(rawHost, 'has a port that is not a number');
  }
  if (rawHost.length - start > 5) throw badHost(rawHost, 'has a port that is not a number');
}

function badHost(host: string, why: string): SwitchyardError {
  const shown = host.length > 200 ? host.slice(0, 200) + '…' : host;
  return new SwitchyardError('SWY_REQUEST_BAD_HOST', `Bad Host ${JSON.stringify(shown)}: ${why}.`, {
    statusCode: 400,
    field: 'host',
  });
}
