/**
 * fastify + @fastify/reply-from: a catch-all route and a Map from Host to upstream, the way
 * a small gateway is written by hand. Registered without `base` (a string base would win
 * over `getUpstream`); the options object is made once, not per request.
 */
import replyFrom from '@fastify/reply-from';
import Fastify from 'fastify';
import { announce, failed, LOOPBACK, readConfig, stopOn, urlOf } from './server-process.js';
import { upstreamUrl, type PeerConfig } from './target-config.js';

const config = readConfig<PeerConfig>();
try {
  const upstream = upstreamUrl(config.upstream);
  const byHost = new Map((config.hosts ?? []).map((host) => [host, upstream]));
  const app = Fastify({ logger: false });
  await app.register(replyFrom, {});
  const fromOptions = { getUpstream: (request: { readonly host: string }) => byHost.get(request.host) ?? '' };
  app.all('/*', (request, reply) => {
    if (!byHost.has(request.host)) return reply.code(404).send('no upstream for this host\n');
    return reply.from(request.url, fromOptions);
  });
  await app.listen({ host: LOOPBACK, port: 0 });
  announce({ url: urlOf(app.server, 'http') });
  stopOn(() => app.close());
} catch (error) {
  failed(error);
}
