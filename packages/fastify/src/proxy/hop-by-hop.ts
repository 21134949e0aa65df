import { HOP_BY_HOP_HEADERS } from '@switchyard/core';

/** Headers that describe one connection, not the message: dropped in both directions (core's list, which header modifiers leave alone too). */
export const HOP_BY_HOP: ReadonlySet<string> = HOP_BY_HOP_HEADERS;

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
