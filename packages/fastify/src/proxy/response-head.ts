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
  let listed: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = text(raw[i]!);
    if (HOP_BY_HOP_LENGTHS.has(name.length) && HOP_BY_HOP.has(name.toLowerCase())) {
      if (name.length === 10 && name.toLowerCase() === 'connection') {
        const value = text(raw[i + 1]!);
        // The usual values name no other header: nothing more to drop.
        if (!isPlainConnectionValue(value)) listed = listed === undefined ? value : `${listed},${value}`;
      }
      continue;
    }
    // The client gets the request id the upstream was sent, not one the upstream made up.
    if (name.length === 12 && name.toLowerCase() === 'x-request-id') continue;
    head.push(name, text(raw[i + 1]!));
  }
  head.push('x-request-id', requestId);
  if (close) head.push('connection', 'close');
  return listed === undefined || listed.length === 0 ? head : withoutListed(head, listed);
}

// RFC 9110 §7.6.1 and the legacy ones a proxy must not pass on either.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-authenticate', 'http2-settings']);
const HOP_BY_HOP_LENGTHS = new Set([...HOP_BY_HOP].map((name) => name.length));

function text(value: Buffer | string): string {
  return typeof value === 'string' ? value : value.toString('latin1');
}

function isPlainConnectionValue(value: string): boolean {
  const lower = value.length <= 10 ? value.toLowerCase() : '';
  return lower === 'keep-alive' || lower === 'close';
}

/** The rare case: the upstream's Connection header names end-to-end-looking headers to drop. */
function withoutListed(head: string[], listed: string): string[] {
  const drop = new Set(listed.split(',').map((token) => token.trim().toLowerCase()));
  // Our own additions stay whatever the upstream lists.
  drop.delete('x-request-id');
  drop.delete('connection');
  const kept: string[] = [];
  for (let i = 0; i < head.length; i += 2) {
    if (!drop.has(head[i]!.toLowerCase())) kept.push(head[i]!, head[i + 1]!);
  }
  return kept;
}
