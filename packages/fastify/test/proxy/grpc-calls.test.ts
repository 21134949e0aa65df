import { once } from 'node:events';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { compile, Router, StaticDiscovery, type EndpointInput } from '@switchyard/core';
import { startGateway, switchyard } from '@switchyard/fastify';
import { refusedPort } from '@switchyard/test-utils';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ingress } from '../helpers/gateway.js';

/**
 * gRPC through the proxy with the real `@grpc/grpc-js` client and server. The client speaks
 * h2c (prior knowledge, plain port) to each of the two ways HTTP/2 reaches the proxy: the
 * plugin on a Fastify app of our own with `http2: true` (Node's compatibility objects and
 * Fastify's request cycle), and `startGateway`'s h2c listener (streams served from the stream
 * itself); the same calls must behave the same on both. The upstream is an h2c endpoint.
 */

// Messages as raw bytes: no protos needed.
const bytes = (value: Buffer): Buffer => value;
function method(path: string, requestStream: boolean, responseStream: boolean) {
  return { path, requestStream, responseStream, requestSerialize: bytes, requestDeserialize: bytes, responseSerialize: bytes, responseDeserialize: bytes, originalName: path };
}
const ECHO = {
  unary: method('/test.Echo/Unary', false, false),
  collect: method('/test.Echo/Collect', true, false),
  repeat: method('/test.Echo/Repeat', false, true),
  chat: method('/test.Echo/Chat', true, true),
  slow: method('/test.Echo/Slow', false, false),
  fail: method('/test.Echo/Fail', false, false),
} satisfies grpc.ServiceDefinition;
const OTHER = { call: method('/test.Other/Call', false, false) } satisfies grpc.ServiceDefinition;

type EchoClient = grpc.Client & Record<keyof typeof ECHO, (...args: any[]) => any>;
const EchoClient = grpc.makeGenericClientConstructor(ECHO, 'Echo') as unknown as new (address: string, credentials: grpc.ChannelCredentials) => EchoClient;
const OtherClient = grpc.makeGenericClientConstructor(OTHER, 'Other') as unknown as new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client & { call: (...args: any[]) => any };

let server: grpc.Server;
let serverPort = 0;
let unaryCalls = 0;
const cancelled: string[] = [];

function trailer(key: string, value: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set(key, value);
  return metadata;
}

async function startGrpcServer(): Promise<void> {
  server = new grpc.Server();
  server.addService(ECHO, {
    unary: (call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => {
      unaryCalls++;
      done(null, Buffer.concat([Buffer.from('echo:'), call.request]), trailer('x-trailer', 'unary'));
    },
    collect: (call: grpc.ServerReadableStream<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => {
      const parts: string[] = [];
      call.on('data', (part: Buffer) => parts.push(part.toString()));
      call.on('end', () => done(null, Buffer.from(parts.join('+')), trailer('x-count', String(parts.length))));
    },
    repeat: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
      const times = Number(call.request.toString());
      if (times === 0) {
        // Held open until the client cancels.
        call.write(Buffer.from('first'));
        call.on('cancelled', () => cancelled.push('repeat'));
        return;
      }
      for (let i = 0; i < times; i++) call.write(Buffer.from(`item-${i}`));
      call.end(trailer('x-trailer', 'repeat'));
    },
    chat: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      call.on('data', (message: Buffer) => call.write(Buffer.from(`re:${message.toString()}`)));
      call.on('end', () => call.end());
    },
    slow: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => {
      setTimeout(() => done(null, Buffer.from('late')), 1_000);
    },
    fail: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => {
      done({ code: grpc.status.NOT_FOUND, details: 'no such thing', metadata: trailer('x-why', 'missing') });
    },
  });
  serverPort = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))));
}

interface GrpcGateway {
  readonly address: string;
  close(): Promise<void>;
}

/** One way gRPC calls reach the proxy: a server started over `router` (the router stays the caller's to close). */
interface GrpcEntry {
  readonly name: string;
  start(router: Router): Promise<{ readonly address: string; close(): Promise<unknown> }>;
}

const ENTRIES: readonly GrpcEntry[] = [
  {
    // Through Node's compatibility request and response and Fastify (Proxy.match + handle).
    name: 'the plugin on an own Fastify({ http2: true }) app',
    start: async (router) => {
      const app = Fastify({ http2: true });
      await app.register(switchyard, { router });
      await app.listen({ host: '127.0.0.1', port: 0 });
      return { address: `127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
    },
  },
  {
    // Served from the HTTP/2 stream itself (Proxy.serveStream).
    name: "startGateway's h2c listener",
    start: async (router) => {
      const gateway = await startGateway({ router, listen: { host: '127.0.0.1', port: 0 }, h2c: true, admin: false, logger: false });
      return { address: new URL(gateway.urls.http).host, close: () => gateway.close() };
    },
  },
];

function h2c(port: number): EndpointInput {
  return { address: '127.0.0.1', port, protocol: 'h2c' };
}

/** A unary call's outcome: the answer or the error, and the status (with its trailers). */
function unary(client: grpc.Client & Record<string, any>, name: string, message: string, options: grpc.CallOptions = {}): Promise<{ value?: Buffer; error?: grpc.ServiceError; status: grpc.StatusObject }> {
  return new Promise((resolve) => {
    let outcome: { value?: Buffer; error?: grpc.ServiceError } = {};
    const call = client[name](Buffer.from(message), new grpc.Metadata(), options, (error: grpc.ServiceError | null, value?: Buffer) => {
      outcome = error ? { error } : { value: value! };
    });
    call.on('status', (status: grpc.StatusObject) => setImmediate(() => resolve({ ...outcome, status })));
  });
}

beforeAll(startGrpcServer);
afterAll(() => server?.forceShutdown());

describe.each(ENTRIES)('through $name', (entry) => {
  /** The proxy behind this entry: `/test.Echo/` goes to `endpoints`, nothing else routes. */
  async function startGrpcGateway(endpoints: readonly EndpointInput[]): Promise<GrpcGateway> {
    const { table } = compile({ ingresses: [ingress('grpc', [[undefined, '/test.Echo/', 'Prefix', 'echo', 80]])] });
    const discovery = new StaticDiscovery({ endpoints: { 'default/echo:80': endpoints } });
    const router = new Router({ table, discovery, balancing: { outlierDetection: false } });
    const started = await entry.start(router);
    return {
      address: started.address,
      close: async () => {
        await started.close();
        router.close();
        await discovery.close();
      },
    };
  }

  let gw: GrpcGateway;
  let client: EchoClient;

  beforeAll(async () => {
    gw = await startGrpcGateway([h2c(serverPort)]);
    client = new EchoClient(gw.address, grpc.credentials.createInsecure());
  });
  afterAll(async () => {
    client?.close();
    await gw?.close();
  });

  describe('gRPC calls through the proxy to a grpc-js server', () => {
    test('unary: the answer, status OK and a custom trailer', async () => {
      const { value, status } = await unary(client, 'unary', 'hi');
      expect(value?.toString()).toBe('echo:hi');
      expect(status.code).toBe(grpc.status.OK);
      expect(status.metadata.get('x-trailer')).toEqual(['unary']);
    });

    test('client streaming: every message reaches the server, the answer and trailer come back', async () => {
      const result = await new Promise<{ value: string; count: unknown }>((resolve, reject) => {
        let value = '';
        const call = client.collect((error: grpc.ServiceError | null, answer?: Buffer) => (error ? reject(error) : (value = answer!.toString())));
        call.on('status', (status: grpc.StatusObject) => setImmediate(() => resolve({ value, count: status.metadata.get('x-count') })));
        for (const part of ['a', 'b', 'c']) call.write(Buffer.from(part));
        call.end();
      });
      expect(result).toEqual({ value: 'a+b+c', count: ['3'] });
    });

    test('server streaming: every message in order, then status OK with its trailer', async () => {
      const call = client.repeat(Buffer.from('3'));
      const items: string[] = [];
      call.on('data', (item: Buffer) => items.push(item.toString()));
      const [status] = (await once(call, 'status')) as [grpc.StatusObject];
      expect(items).toEqual(['item-0', 'item-1', 'item-2']);
      expect(status.code).toBe(grpc.status.OK);
      expect(status.metadata.get('x-trailer')).toEqual(['repeat']);
    });

    test('bidirectional: each message is answered before the next is sent (nothing waits for the end of the stream)', async () => {
      const call = client.chat();
      const answers: string[] = [];
      for (const message of ['one', 'two', 'three']) {
        call.write(Buffer.from(message));
        const [answer] = (await once(call, 'data')) as [Buffer];
        answers.push(answer.toString());
      }
      call.end();
      const [status] = (await once(call, 'status')) as [grpc.StatusObject];
      expect(answers).toEqual(['re:one', 're:two', 're:three']);
      expect(status.code).toBe(grpc.status.OK);
    });

    test("an upstream's error status (trailers-only) reaches the client with its details and trailers", async () => {
      const { error, status } = await unary(client, 'fail', 'x');
      expect(error?.code).toBe(grpc.status.NOT_FOUND);
      expect(status.details).toBe('no such thing');
      expect(status.metadata.get('x-why')).toEqual(['missing']);
    });

    test('a client cancelling a stream cancels the upstream call', async () => {
      // The server is shared by the entries: only this entry's cancellation counts.
      cancelled.length = 0;
      const call = client.repeat(Buffer.from('0'));
      // The client's own call ends with CANCELLED: heard here, not left unhandled.
      const ended = new Promise<grpc.ServiceError>((resolve) => call.on('error', resolve));
      await once(call, 'data');
      call.cancel();
      expect((await ended).code).toBe(grpc.status.CANCELLED);
      await expect.poll(() => cancelled, { timeout: 5_000 }).toContain('repeat');
    });
  });

  describe("the gateway's own answers to gRPC calls are trailers-only gRPC statuses", () => {
    test('no route: UNIMPLEMENTED with details and x-switchyard-error, read by grpc-js', async () => {
      const other = new OtherClient(gw.address, grpc.credentials.createInsecure());
      try {
        const { error, status } = await unary(other, 'call', 'x');
        expect(error?.code).toBe(grpc.status.UNIMPLEMENTED);
        expect(status.details).toContain('SWY_PROXY_NO_ROUTE');
        expect(status.metadata.get('x-switchyard-error')).toEqual(['SWY_PROXY_NO_ROUTE']);
      } finally {
        other.close();
      }
    });

    test('grpc-timeout shorter than the upstream: DEADLINE_EXCEEDED from the gateway, in one HEADERS frame that ends the stream', async () => {
      // A raw HTTP/2 client without a deadline of its own, so the answer is the gateway's.
      const session = http2.connect(`http://${gw.address}`);
      try {
        const stream = session.request({ ':method': 'POST', ':path': '/test.Echo/Slow', 'content-type': 'application/grpc', te: 'trailers', 'grpc-timeout': '100m' });
        stream.end(Buffer.from([0, 0, 0, 0, 1, 0x78]));
        const [headers, flags] = (await once(stream, 'response')) as [http2.IncomingHttpHeaders, number];
        expect(headers[':status']).toBe(200);
        expect(headers['content-type']).toBe('application/grpc');
        expect(headers['grpc-status']).toBe(String(grpc.status.DEADLINE_EXCEEDED));
        expect(headers['x-switchyard-error']).toBe('SWY_PROXY_UPSTREAM_TIMEOUT');
        expect(decodeURIComponent(String(headers['grpc-message']))).toContain('timed out');
        expect(flags & http2.constants.NGHTTP2_FLAG_END_STREAM).toBe(http2.constants.NGHTTP2_FLAG_END_STREAM);
      } finally {
        session.destroy();
      }
    });

    test('grpc-js with a deadline through the gateway: DEADLINE_EXCEEDED', async () => {
      const { error } = await unary(client, 'slow', 'x', { deadline: Date.now() + 150 });
      expect(error?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    });

    test('no endpoint: UNAVAILABLE with x-switchyard-error', async () => {
      const empty = await startGrpcGateway([]);
      const emptyClient = new EchoClient(empty.address, grpc.credentials.createInsecure());
      try {
        const { error, status } = await unary(emptyClient, 'unary', 'x');
        expect(error?.code).toBe(grpc.status.UNAVAILABLE);
        expect(status.metadata.get('x-switchyard-error')).toEqual(['SWY_PROXY_NO_ENDPOINT']);
      } finally {
        emptyClient.close();
        await empty.close();
      }
    });
  });

  describe('retries of gRPC calls', () => {
    test('a refused connection (nothing sent) is retried on the other endpoint', async () => {
      const retrying = await startGrpcGateway([h2c(await refusedPort()), h2c(serverPort)]);
      const retryClient = new EchoClient(retrying.address, grpc.credentials.createInsecure());
      try {
        for (let i = 0; i < 4; i++) {
          const { value } = await unary(retryClient, 'unary', `r${i}`);
          expect(value?.toString()).toBe(`echo:r${i}`);
        }
      } finally {
        retryClient.close();
        await retrying.close();
      }
    });

    test('a call whose message reached an upstream that then failed is not retried: UNAVAILABLE', async () => {
      // An h2c upstream that takes the message and then resets the stream.
      const breaking = http2.createServer();
      let received = 0;
      breaking.on('stream', (stream) => {
        stream.on('error', () => undefined);
        stream.once('data', () => {
          received++;
          stream.destroy(new Error('crash after the message'));
        });
      });
      breaking.listen(0, '127.0.0.1');
      await once(breaking, 'listening');
      const mixed = await startGrpcGateway([h2c((breaking.address() as AddressInfo).port), h2c(serverPort)]);
      const mixedClient = new EchoClient(mixed.address, grpc.credentials.createInsecure());
      const before = unaryCalls;
      try {
        const codes: number[] = [];
        for (let i = 0; i < 4; i++) codes.push((await unary(mixedClient, 'unary', `m${i}`)).status.code);
        // Round robin: half land on the breaking upstream, and none of those goes on to the good one.
        expect(codes.filter((code) => code === grpc.status.UNAVAILABLE)).toHaveLength(2);
        expect(codes.filter((code) => code === grpc.status.OK)).toHaveLength(2);
        expect(received).toBe(2);
        expect(unaryCalls - before).toBe(2);
      } finally {
        mixedClient.close();
        await mixed.close();
        breaking.close();
      }
    });
  });
});
