/** fastify + @fastify/http-proxy, one route for everything: the baseline of every ratio. Default options. */
import { readFileSync } from 'node:fs';
import proxy from '@fastify/http-proxy';
import Fastify, { type FastifyInstance } from 'fastify';
import { announce, failed, LOOPBACK, readConfig, stopOn, urlOf } from './server-process.js';
import { upstreamUrl, type PeerConfig } from './target-config.js';

const config = readConfig<PeerConfig>();
try {
  // Fastify's types pick an HTTP/2 instance for an `https` option; this is HTTP/1.1 over TLS.
  // With `h2c`, HTTP/2 with prior knowledge on the plain port (Fastify's `http2: true`); the upstream stays HTTP/1.1.
  const app = (config.tls
    ? Fastify({ logger: false, https: { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } })
    : config.h2c
      ? Fastify({ logger: false, http2: true })
      : Fastify({ logger: false })) as unknown as FastifyInstance;
  await app.register(proxy, { upstream: upstreamUrl(config.upstream), websocket: config.websocket ?? false });
  await app.listen({ host: LOOPBACK, port: 0 });
  announce({ url: urlOf(app.server, config.tls ? 'https' : 'http') });
  stopOn(() => app.close());
} catch (error) {
  failed(error);
}
