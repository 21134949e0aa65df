import { addConnectionListed, HOP_BY_HOP } from './hop-by-hop.js';

/**
 * The upstream's response headers as Node's `writeHead` takes them: one flat list of names and
 * values, straight from undici's raw header buffers (no object per response, no header-by-
 * header `setHeader`). Hop-by-hop headers, and those the upstream's Connection header lists,
 * are left out: they describe the upstream connection, not the client's, so Node decides
 * keep-alive for the client from the client's own request.
 *
 * Values are decoded as latin1, which Node writes back byte for byte.
 */
export function responseHead(raw: readonly Buffer[] | readonly string[], requestId: string, close: boolean): string[] {
  const head: string[] = [];
  let listed: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = text(raw[i]!);
    if (HOP_BY_HOP_LENGTHS.has(name.length) && HOP_BY_HOP.has(name.toLowerCase())) {
      if (name.length === 10 && name.toLowerCase() === 'connection') listed = addConnectionListed(listed, text(raw[i + 1]!));
      continue;
    }
    // The client gets the request id the upstream was sent, not one the upstream made up.
    if (name.length === 12 && name.toLowerCase() === 'x-request-id') continue;
    head.push(name, text(raw[i + 1]!));
  }
  head.push('x-request-id', requestId);
  if (close) head.push('connection', 'close');
  return listed === undefined ? head : withoutListed(head, listed);
}

const HOP_BY_HOP_LENGTHS = new Set([...HOP_BY_HOP].map((name) => name.length));

function text(value: Buffer | string): string {
  return typeof value === 'string' ? value : value.toString('latin1');
}

/** The rare case: the upstream's Connection header names end-to-end-looking headers to drop. */
function withoutListed(head: string[], drop: Set<string>): string[] {
  // Our own additions stay whatever the upstream lists.
  drop.delete('x-request-id');
  drop.delete('connection');
  const kept: string[] = [];
  for (let i = 0; i < head.length; i += 2) {
    if (!drop.has(head[i]!.toLowerCase())) kept.push(head[i]!, head[i + 1]!);
  }
  return kept;
}
