/** fast-gateway (restana + fast-proxy-lite), one route for every path. Default options. */
import gateway from 'fast-gateway';
import type { Server } from 'node:net';
import { announce, failed, LOOPBACK, readConfig, stopOn, urlOf } from './server-process.js';
import { upstreamUrl, type PeerConfig } from './target-config.js';

const config = readConfig<PeerConfig>();
try {
  // prefix '' and the default pathRegex '/*': every path, forwarded unchanged.
  const app = gateway({ routes: [{ prefix: '', target: upstreamUrl(config.upstream) }] });
  const server = (await app.start(0, LOOPBACK)) as unknown as Server;
  announce({ url: urlOf(server, 'http') });
  stopOn(() => app.close());
} catch (error) {
  failed(error);
}
