/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus the legacy
 * ones a proxy must not pass on either: dropped in both directions.
 */
export const HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-authenticate', 'http2-settings']);

/**
 * Adds the header names a Connection header value lists (lowercase), which are hop-by-hop for
 * that message too; `keep-alive` and `close`, the usual values, name none. Returns the set,
 * made on the first name only.
 */
export function addConnectionListed(listed: Set<string> | undefined, value: string): Set<string> | undefined {
  // Nearly every message: one usual value, so no split and no array per message.
  if (value.length <= 10) {
    const lower = value.toLowerCase();
    if (lower === 'keep-alive' || lower === 'close') return listed;
  }
  for (const part of value.split(',')) {
    const token = part.trim().toLowerCase();
    if (token.length === 0 || token === 'keep-alive' || token === 'close') continue;
    (listed ??= new Set()).add(token);
  }
  return listed;
}
