/**
 * ASCII character classes from RFC 3986, as lookup tables so the per-request scans
 * are one array read per character.
 */

export const UNRESERVED = 1;
/** pchar without pct-encoded: unreserved, sub-delims, ":" and "@". */
export const PCHAR = 2;
/** reg-name characters of a Host (unreserved, sub-delims), lowercase only. */
export const HOST_CHAR = 4;
export const UPPER_ALPHA = 8;

export const CHAR_CLASS = buildTable();

function buildTable(): Uint8Array {
  const table = new Uint8Array(128);
  const mark = (chars: string, flag: number) => {
    for (const ch of chars) table[ch.charCodeAt(0)]! |= flag;
  };
  const lower = 'abcdefghijklmnopqrstuvwxyz';
  const upper = lower.toUpperCase();
  const digits = '0123456789';
  const unreserved = lower + upper + digits + '-._~';
  const subDelims = "!$&'()*+,;=";
  mark(unreserved, UNRESERVED | PCHAR);
  mark(subDelims + ':@', PCHAR);
  mark(lower + digits + '-._~' + subDelims, HOST_CHAR);
  mark(upper, UPPER_ALPHA);
  return table;
}

/** The value of one hex digit, or -1. */
export function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

const HEX = '0123456789ABCDEF';

/** `%XX` with uppercase hex, as RFC 3986 section 6.2.2.1 normalizes it. */
export function percentEncodeByte(byte: number): string {
  return '%' + HEX[byte >> 4]! + HEX[byte & 15]!;
}
