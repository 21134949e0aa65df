/**
 * IP literal recognition, written here rather than taken from `node:net`, so that core's main
 * entry imports no Node built-in module. It accepts what `net.isIPv4` / `net.isIPv6` accept (a
 * test holds them side by side): dotted quads without leading zeros, and the RFC 4291 text
 * forms of IPv6 (one `::`, an embedded dotted quad last, an optional `%zone`).
 */

/**
 * A dotted-quad IPv4 address, each part 0-255 without leading zeros. One pass over the
 * characters, nothing allocated: a request's Host that ends in a digit is checked with it.
 */
export function isIPv4(value: string): boolean {
  let parts = 0;
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    if (i < value.length && value.charCodeAt(i) !== 0x2e /* . */) continue;
    if (!isDecimalOctet(value, start, i)) return false;
    parts++;
    start = i + 1;
  }
  return parts === 4;
}

/** An IPv6 address in any RFC 4291 text form, with an optional `%zone`. */
export function isIPv6(value: string): boolean {
  const percent = value.indexOf('%');
  const address = percent < 0 ? value : value.slice(0, percent);
  if (percent >= 0 && !isZone(value.slice(percent + 1))) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  // A dotted quad may stand for the last two groups, at the very end only.
  let count = 0;
  for (let h = 0; h < groups.length; h++) {
    const list = groups[h]!;
    for (let i = 0; i < list.length; i++) {
      const group = list[i]!;
      const last = h === groups.length - 1 && i === list.length - 1;
      if (last && group.includes('.')) {
        if (!isIPv4(group)) return false;
        count += 2;
      } else if (isHexGroup(group)) {
        count += 1;
      } else {
        return false;
      }
    }
  }
  // Without `::` all eight groups are written; with it, it stands for at least one.
  return halves.length === 1 ? count === 8 : count <= 7;
}

/** 4, 6, or 0 for neither (as `net.isIP`). */
export function isIP(value: string): 0 | 4 | 6 {
  return isIPv4(value) ? 4 : isIPv6(value) ? 6 : 0;
}

/** `value[start, end)` is 0-255 in decimal, without a leading zero. */
function isDecimalOctet(value: string, start: number, end: number): boolean {
  const length = end - start;
  if (length === 0 || length > 3) return false;
  let number = 0;
  for (let i = start; i < end; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
    number = number * 10 + (code - 0x30);
  }
  if (length > 1 && value.charCodeAt(start) === 0x30) return false;
  return number <= 255;
}

function isHexGroup(group: string): boolean {
  if (group.length === 0 || group.length > 4) return false;
  for (let i = 0; i < group.length; i++) {
    const code = group.charCodeAt(i) | 0x20; // ASCII letters to lowercase
    if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66))) return false;
  }
  return true;
}

/** A zone id, as `net.isIPv6` takes it: letters, digits, '-', '.' and ':'. */
function isZone(zone: string): boolean {
  return ZONE.test(zone);
}

const ZONE = /^[0-9a-zA-Z.:-]+$/;
