import { SwitchyardError } from './errors.js';

/**
 * The one rule on which addresses the gateway may connect to, consulted before any connection
 * is opened: by discovery on the addresses an ExternalName resolves to (those endpoints are not
 * made), and by the proxy's connect paths (HTTP/1.1 pool, h2c sessions, WebSocket), so an
 * address that slips past discovery (an endpoint written in code, a name resolved at connect
 * time) is still refused.
 *
 * The link-local ranges are always denied, whatever else is configured: `169.254.0.0/16` and
 * `fe80::/10` hold the cloud metadata services (`169.254.169.254`, `fd00:ec2::254` aside), the
 * classic target of a request forgery through an ExternalName Service. An IPv4 address written
 * as IPv4-mapped IPv6 (`::ffff:169.254.169.254`, `::ffff:a9fe:a9fe`) is checked as the IPv4
 * address it reaches.
 */

/** Ranges every `AddressPolicy` denies; `deny` adds to them, never replaces them. */
export const LINK_LOCAL_RANGES: readonly string[] = Object.freeze(['169.254.0.0/16', 'fe80::/10']);

/** Options of `new AddressPolicy()`. */
export interface AddressPolicyOptions {
  /**
   * More addresses never to connect to, as CIDR ranges (`10.0.0.0/8`, `fd00::/8`) or single
   * addresses (`127.0.0.2`, `::1`), besides `LINK_LOCAL_RANGES`.
   */
  readonly deny?: readonly string[];
}

/** Why an address is refused: the range of the deny list it falls in. */
export interface AddressDenial {
  /** The address checked, as given. */
  readonly address: string;
  /** The deny-list entry it falls in (`169.254.0.0/16`). */
  readonly range: string;
  /** One line for a log or an answer: "169.254.169.254 is in 169.254.0.0/16 (link-local: cloud metadata)". */
  readonly message: string;
}

interface Ipv4Range {
  readonly base: number;
  readonly mask: number;
  readonly text: string;
  readonly linkLocal: boolean;
}

interface Ipv6Range {
  readonly groups: Uint16Array;
  readonly prefix: number;
  readonly text: string;
  readonly linkLocal: boolean;
}

// Scratch space of the IPv6 parser: one check runs at a time (JavaScript is single-threaded),
// so a check allocates nothing but the denial it returns.
const SCRATCH = new Uint16Array(8);

/**
 * An address deny list: `LINK_LOCAL_RANGES` plus `options.deny`, parsed once. `check` is the
 * function every connect path calls, once per new connection (not per request): it parses the
 * address without building strings or arrays and compares it with each range.
 */
export class AddressPolicy {
  /** Every range denied, link-local first, as written. */
  readonly denied: readonly string[];
  readonly #v4: readonly Ipv4Range[];
  readonly #v6: readonly Ipv6Range[];

  /** @throws SwitchyardError `SWY_ADDRESS_POLICY_INVALID` (`field: 'deny[i]'`) for an entry that is no address or CIDR range. */
  constructor(options: AddressPolicyOptions = {}) {
    if (typeof options !== 'object' || options === null) throw invalid('options', 'AddressPolicy options must be an object');
    const deny = options.deny ?? [];
    if (!Array.isArray(deny)) throw invalid('deny', 'deny must be an array of addresses or CIDR ranges');
    const v4: Ipv4Range[] = [];
    const v6: Ipv6Range[] = [];
    const entries = [...LINK_LOCAL_RANGES, ...(deny as readonly unknown[])];
    entries.forEach((entry, index) => {
      const linkLocal = index < LINK_LOCAL_RANGES.length;
      const field = `deny[${index - LINK_LOCAL_RANGES.length}]`;
      if (typeof entry !== 'string') throw invalid(field, `${field} must be a string`);
      const range = parseRange(entry, linkLocal);
      if (range === undefined) throw invalid(field, `${field} is not an IP address or CIDR range: ${JSON.stringify(entry)}`);
      if ('base' in range) v4.push(range);
      else v6.push(range);
    });
    this.denied = Object.freeze(entries as string[]);
    this.#v4 = v4;
    this.#v6 = v6;
  }

  /**
   * Undefined when `address` may be connected to; else the range that denies it. `address`
   * is an IP literal (IPv6 with or without brackets, with or without a `%zone`); anything else
   * (a DNS name) is not an address and gets undefined: names are checked on what they resolve to.
   */
  check(address: string): AddressDenial | undefined {
    const v4 = parseIpv4(address, 0, address.length);
    if (v4 >= 0) return this.#checkV4(v4, address);
    const start = address.charCodeAt(0) === 0x5b /* [ */ ? 1 : 0;
    let end = address.length;
    if (start === 1) {
      if (address.charCodeAt(end - 1) !== 0x5d /* ] */) return undefined;
      end--;
    }
    const zone = address.indexOf('%', start);
    if (zone >= 0 && zone < end) end = zone;
    if (!parseIpv6(address, start, end, SCRATCH)) return undefined;
    // IPv4-mapped (::ffff:0:0/96): the connection goes to the IPv4 address.
    if (SCRATCH[0] === 0 && SCRATCH[1] === 0 && SCRATCH[2] === 0 && SCRATCH[3] === 0 && SCRATCH[4] === 0 && SCRATCH[5] === 0xffff) {
      return this.#checkV4(((SCRATCH[6]! << 16) | SCRATCH[7]!) >>> 0, address);
    }
    for (const range of this.#v6) {
      if (inIpv6Range(SCRATCH, range)) return denial(address, range);
    }
    return undefined;
  }

  #checkV4(value: number, address: string): AddressDenial | undefined {
    for (const range of this.#v4) {
      if (((value & range.mask) >>> 0) === range.base) return denial(address, range);
    }
    return undefined;
  }
}

/** The policy of a gateway configured with no deny list of its own: the link-local ranges. */
export const DEFAULT_ADDRESS_POLICY: AddressPolicy = new AddressPolicy();

function denial(address: string, range: Ipv4Range | Ipv6Range): AddressDenial {
  const why = range.linkLocal ? 'link-local: cloud metadata' : 'denied by the address policy';
  return { address, range: range.text, message: `${address} is in ${range.text} (${why}), which the gateway never connects to` };
}

function parseRange(text: string, linkLocal: boolean): Ipv4Range | Ipv6Range | undefined {
  const slash = text.indexOf('/');
  const end = slash < 0 ? text.length : slash;
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  const v4 = parseIpv4(text, 0, end);
  if (v4 >= 0) {
    const prefix = prefixText === undefined ? 32 : prefixLength(prefixText, 32);
    if (prefix < 0) return undefined;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return { base: (v4 & mask) >>> 0, mask, text, linkLocal };
  }
  const groups = new Uint16Array(8);
  if (!parseIpv6(text, 0, end, groups)) return undefined;
  const prefix = prefixText === undefined ? 128 : prefixLength(prefixText, 128);
  if (prefix < 0) return undefined;
  return { groups, prefix, text, linkLocal };
}

function prefixLength(text: string, max: number): number {
  if (!/^(0|[1-9]\d{0,2})$/.test(text)) return -1;
  const value = Number(text);
  return value <= max ? value : -1;
}

function inIpv6Range(address: Uint16Array, range: Ipv6Range): boolean {
  let bits = range.prefix;
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((address[i]! & mask) !== (range.groups[i]! & mask)) return false;
  }
  return true;
}

/** `text[start, end)` as a dotted quad (no leading zeros), as an unsigned 32-bit number; -1 when it is not one. */
function parseIpv4(text: string, start: number, end: number): number {
  let value = 0;
  let parts = 0;
  let octet = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const code = i === end ? 0x2e : text.charCodeAt(i);
    if (code === 0x2e /* . */) {
      if (digits === 0 || octet > 255 || parts === 4) return -1;
      value = value * 256 + octet;
      parts++;
      octet = 0;
      digits = 0;
    } else if (code >= 0x30 && code <= 0x39) {
      if (digits > 0 && octet === 0) return -1; // a leading zero
      octet = octet * 10 + (code - 0x30);
      if (++digits > 3) return -1;
    } else {
      return -1;
    }
  }
  return parts === 4 ? value : -1;
}

/**
 * `text[start, end)` as an IPv6 address (RFC 4291 text forms: one `::`, an embedded dotted
 * quad last) into `out`; false when it is not one.
 */
function parseIpv6(text: string, start: number, end: number, out: Uint16Array): boolean {
  if (end - start < 2) return false;
  let count = 0;
  let gap = -1; // the group index where `::` stands
  let i = start;
  if (text.charCodeAt(i) === 0x3a) {
    if (text.charCodeAt(i + 1) !== 0x3a) return false;
    gap = 0;
    i += 2;
    if (i === end) {
      out.fill(0);
      return true;
    }
  }
  while (i < end) {
    if (count === 8) return false;
    // A dotted quad stands for the last two groups.
    let j = i;
    let hex = 0;
    let value = 0;
    while (j < end) {
      const code = text.charCodeAt(j);
      const digit = code >= 0x30 && code <= 0x39 ? code - 0x30 : (code | 0x20) >= 0x61 && (code | 0x20) <= 0x66 ? (code | 0x20) - 0x57 : -1;
      if (digit < 0) break;
      value = value * 16 + digit;
      hex++;
      j++;
    }
    if (j < end && text.charCodeAt(j) === 0x2e) {
      if (count > 6) return false;
      const v4 = parseIpv4(text, i, end);
      if (v4 < 0) return false;
      out[count++] = v4 >>> 16;
      out[count++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (hex === 0 || hex > 4) return false;
    out[count++] = value;
    i = j;
    if (i === end) break;
    if (text.charCodeAt(i) !== 0x3a) return false;
    i++;
    if (text.charCodeAt(i) === 0x3a) {
      if (gap >= 0) return false;
      gap = count;
      i++;
      if (i === end) break;
    } else if (i === end) {
      return false; // a trailing single ':'
    }
  }
  if (gap < 0) return count === 8;
  if (count > 7) return false;
  // Move the groups after `::` to the end and zero the gap.
  const after = count - gap;
  for (let k = 0; k < after; k++) out[7 - k] = out[count - 1 - k]!;
  for (let k = gap; k < 8 - after; k++) out[k] = 0;
  return true;
}

function invalid(field: string, message: string): SwitchyardError {
  return new SwitchyardError('SWY_ADDRESS_POLICY_INVALID', `new AddressPolicy(): ${message}`, { field });
}
