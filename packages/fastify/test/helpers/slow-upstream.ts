import type { IncomingMessage, ServerResponse } from 'node:http';
import { startUpstream, type Upstream } from '@switchyard/test-utils';
import { deferred, type Deferred } from './deferred.js';

/** An upstream that holds its answers back until `release` resolves, and says when one started. */
export interface SlowUpstream {
  readonly upstream: Upstream;
  /** Resolves when `/slow` or `/silent` reached the upstream. */
  readonly started: Deferred;
  readonly release: Deferred;
}

/**
 * An upstream whose `/slow` answers its head and a first chunk (`start;`), then the rest (`done`)
 * once `release` is resolved; whose `/silent` sends nothing until then; and whose other paths
 * answer `ok` at once. For tests of what happens to a response in flight (draining).
 */
export async function startSlowUpstream(): Promise<SlowUpstream> {
  const started = deferred();
  const release = deferred();
  const upstream = await startUpstream('slow', (request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    if (request.url === '/slow') {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '10' });
      response.write('start;');
      started.resolve();
      void release.promise.then(() => response.end('done'));
    } else if (request.url === '/silent') {
      // Never answers until released: no head, no byte.
      started.resolve();
      void release.promise.then(() => response.writeHead(200, { 'content-length': '4' }).end('late'));
    } else {
      response.writeHead(200, { 'content-length': '2' }).end('ok');
    }
  });
  return { upstream, started, release };
}
