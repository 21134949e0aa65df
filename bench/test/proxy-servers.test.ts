import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkHttpTarget, checkWebSocketTarget } from '../src/proxy/check.js';
import { checkGrpcTarget } from '../src/proxy/grpc-check.js';
import { ECHO_DEFINITION, ECHO_MESSAGE_BYTES } from '../src/proxy/grpc-echo.js';
import { runGrpcUnary } from '../src/proxy/load/grpc-unary-run.js';
import { checkBackends, startBackendProbe } from '../src/proxy/backend-probe.js';
import { BenchError } from '../src/common/errors.js';
import { planPinning } from '../src/proxy/pinning.js';
import { launchServer } from '../src/proxy/process/launch.js';
import type { ManagedProcess } from '../src/common/managed-process.js';
import type { FromServer, ReadyMessage, ToServer } from '../src/proxy/protocol.js';
import { checkSample, requestListFor, singleRouteList } from '../src/proxy/request-list.js';
import type { TableSpec } from '../src/proxy/route-tables.js';
import { BIG_BODY_BYTES, BIG_BODY_PATH } from '../src/proxy/servers/upstream-contract.js';
import type { UpstreamAddress } from '../src/proxy/servers/target-config.js';

// The harness's own server processes, started as a run starts them (one node process each,
// TypeScript through tsx's loader) and put through the correctness check: the Node upstream,
// the undici floor and Switchyard on a generated 1,000-path table, including its table swaps,
// and the gRPC scenario's upstream and Switchyard target with its load. Nothing is timed.
const TOKEN = 'c0ffee';
const unpinned = planPinning(undefined, 2);
const started: Array<ManagedProcess<ToServer, FromServer>> = [];

async function start(entry: Parameters<typeof launchServer>[1], config: object): Promise<{ url: string; ready: ReadyMessage; process: ManagedProcess<ToServer, FromServer> }> {
  const process = launchServer(entry, entry, config, 'proxy', unpinned);
  started.push(process);
  const ready = await process.ready<ReadyMessage>();
  return { url: ready.url, ready, process };
}

let upstream: UpstreamAddress;
let upstreamUrl: string;

beforeAll(async () => {
  const { url } = await start('node-upstream', { token: TOKEN });
  upstreamUrl = url;
  upstream = { address: '127.0.0.1', port: Number(new URL(url).port) };
}, 30_000);

afterAll(async () => {
  await Promise.all(started.map((process) => process.stop()));
});

describe('the benchmark servers, checked as a run checks them', () => {
  test('the Node upstream answers with the token and the path, streams 1 MiB, and greets and echoes WebSockets', async () => {
    const target = { id: 'direct', url: upstreamUrl };
    await checkHttpTarget(target, [{ host: 'bench.test', path: '/a/b' }], TOKEN, { kind: 'small' });
    await checkHttpTarget(target, singleRouteList(BIG_BODY_PATH).requests, TOKEN, { kind: 'big-body', bytes: BIG_BODY_BYTES });
    await checkWebSocketTarget({ id: 'ws', url: upstreamUrl.replace('http', 'ws') }, { host: 'bench.test', path: '/ws' }, TOKEN);
    const wrongToken = await checkHttpTarget(target, [{ host: 'bench.test', path: '/' }], 'not-this-run', { kind: 'small' }).catch((e: unknown) => e);
    expect(wrongToken).toBeInstanceOf(BenchError);
    expect(wrongToken).toMatchObject({ code: 'SWY_BENCH_WRONG_ANSWER', field: 'x-bench-upstream' });
  }, 30_000);

  test('the node:http + undici floor forwards to the upstream', async () => {
    const { url } = await start('undici-floor', { upstream });
    await checkHttpTarget({ id: 'undici-floor', url }, [{ host: 'bench.test', path: '/' }, { host: 'x.test', path: '/deep/path?q=1' }], TOKEN, { kind: 'small' });
  }, 30_000);

  test('the HTTP/2 floor (node:http2 + undici), @fastify/http-proxy on Fastify\'s HTTP/2 server and Switchyard with h2c forward h2c to the upstream', async () => {
    const floor = await start('undici-h2-floor', { upstream });
    await checkHttpTarget({ id: 'h2-undici-floor', url: floor.url, h2: true }, [{ host: 'bench.test', path: '/' }, { host: 'x.test', path: '/deep/path?q=1' }], TOKEN, { kind: 'small' });
    const peer = await start('fastify-http-proxy', { upstream, h2c: true });
    await checkHttpTarget({ id: 'h2-fastify-http-proxy', url: peer.url, h2: true }, [{ host: 'bench.test', path: '/' }, { host: 'x.test', path: '/deep/path?q=1' }], TOKEN, { kind: 'small' });
    const switchyard = await start('switchyard', { upstream, table: { kind: 'single' }, h2c: true });
    await checkHttpTarget({ id: 'h2-switchyard', url: switchyard.url, h2: true }, [{ host: 'bench.test', path: '/' }], TOKEN, { kind: 'small' });
  }, 30_000);

  test('Switchyard on the 1,000-path table routes a sample of the load list to the upstream, before and after table swaps', async () => {
    const spec: TableSpec = { kind: 'generated', paths: 1_000, seed: 20_240_601 };
    const list = requestListFor(spec, 512);
    const { url, ready, process } = await start('switchyard', { upstream, table: spec, swappable: true });
    expect(ready.fingerprint).toBe(list.fingerprint);
    expect(ready.info).toMatchObject({ routes: expect.any(Number) });
    const sample = checkSample(list.requests, 64);
    await checkHttpTarget({ id: 'switchyard-1k', url }, sample, TOKEN, { kind: 'small' });
    const swapped = await process.ask({ type: 'swap', count: 3, intervalMs: 1 }, 'swapped');
    expect(swapped.swaps).toBe(3);
    expect(swapped.compileMs).toHaveLength(3);
    await checkHttpTarget({ id: 'switchyard-1k', url }, sample, TOKEN, { kind: 'small' });
  }, 60_000);

  // Skipped until the Fastify plugin serves its `gatewayPort` option (merged with the option, not
  // wired yet: every request is a 404 until then). With a stand-in for the wiring this passed.
  test('Switchyard on the Gateway API table sends a sample of its load to the backends of their rules, then to the upstream', async () => {
    const spec: TableSpec = { kind: 'gateway', seed: 20_240_601 };
    const list = requestListFor(spec, 512);
    const sample = checkSample(list.requests, 64);
    const probe = await startBackendProbe(sample.map((request) => request.backend!));
    try {
      const { url, ready, process } = await start('switchyard', { upstream, table: spec, backendProbe: probe.ports });
      expect(ready.fingerprint).toBe(list.fingerprint);
      await checkBackends({ id: 'switchyard-gateway-1k', url }, sample);
      await process.ask({ type: 'serve-upstream' }, 'serving-upstream');
      await checkHttpTarget({ id: 'switchyard-gateway-1k', url }, sample, TOKEN, { kind: 'small' });
    } finally {
      await probe.close();
    }
  }, 60_000);

  test('Switchyard’s in-process profiler samples a window of requests and finds the route lookup in it', async () => {
    const spec: TableSpec = { kind: 'generated', paths: 1_000, seed: 20_240_601 };
    const sample = checkSample(requestListFor(spec, 512).requests, 64);
    const { url, process } = await start('switchyard', { upstream, table: spec });
    await process.ask({ type: 'profile-start' }, 'profiling');
    // The normalizers take well under a µs a request: at one sample per 100 µs, 1,280 requests gave them a few samples, and in one CI run none.
    for (let i = 0; i < 80; i++) await checkHttpTarget({ id: 'switchyard-1k', url }, sample, TOKEN, { kind: 'small' });
    const { profile } = await process.ask({ type: 'profile-stop' }, 'profiled');
    expect(profile.samples).toBeGreaterThan(100);
    expect(profile.busyMs).toBeGreaterThan(0);
    // 5,120 requests through the table: the lookup and the normalizers show up in the samples.
    expect(profile.shares.lookup).toBeGreaterThan(0);
    expect(profile.shares.normalize).toBeGreaterThan(0);
    // A stop without a start is a failure the orchestrator hears about, not a silent answer.
    await expect(start('switchyard', { upstream, table: { kind: 'single' } }).then(({ process: fresh }) => fresh.ask({ type: 'profile-stop' }, 'profiled'))).rejects.toThrow(/unexpected message/);
  }, 60_000);

  test('the gRPC upstream echoes with the token trailer, directly and through Switchyard (GRPCRoute to an h2c Service port); the load counts the calls', async () => {
    const grpcUpstream = await start('grpc-upstream', { token: TOKEN });
    await checkGrpcTarget({ id: 'grpc-direct', url: grpcUpstream.url }, TOKEN);
    const wrongToken = await checkGrpcTarget({ id: 'grpc-direct', url: grpcUpstream.url }, 'not-this-run').catch((e: unknown) => e);
    expect(wrongToken).toMatchObject({ code: 'SWY_BENCH_WRONG_ANSWER', field: 'x-bench-upstream' });
    const port = Number(new URL(grpcUpstream.url).port);
    const switchyard = await start('switchyard-grpc', { upstream: { address: '127.0.0.1', port } });
    await checkGrpcTarget({ id: 'grpc-switchyard', url: switchyard.url }, TOKEN);
    const outcome = await runGrpcUnary({ kind: 'grpc', address: new URL(switchyard.url).host, channels: 2, callsPerChannel: 3, durationS: 0.5, messageBytes: ECHO_MESSAGE_BYTES });
    expect(outcome).toMatchObject({ tool: 'grpc-js', errors: 0, timeouts: 0, non2xx: 0 });
    expect(outcome.completed).toBeGreaterThan(0);
    expect(outcome.statusCodes).toEqual({ OK: outcome.completed });
    expect(outcome.bytes).toBe(outcome.completed * ECHO_MESSAGE_BYTES);
  }, 30_000);

  test('the gRPC check refuses a failed call, a wrong echo and a missing trailer; the load counts non-OK calls as errors', async () => {
    // Switchyard with its backend at a port nobody listens on: every call fails in the gateway.
    const refused = await start('switchyard-grpc', { upstream: { address: '127.0.0.1', port: 1 } });
    await expect(checkGrpcTarget({ id: 'grpc-switchyard', url: refused.url }, TOKEN)).rejects.toMatchObject({ code: 'SWY_BENCH_WRONG_ANSWER', field: 'status' });
    const outcome = await runGrpcUnary({ kind: 'grpc', address: new URL(refused.url).host, channels: 1, callsPerChannel: 2, durationS: 0.3, messageBytes: ECHO_MESSAGE_BYTES });
    expect(outcome.completed).toBeGreaterThan(0);
    expect(outcome.errors).toBe(outcome.completed);
    expect(outcome.statusCodes.OK).toBeUndefined();
    // A server of the same service that answers otherwise than the upstream does.
    for (const [answer, field] of [[(request: Buffer) => ({ value: Buffer.from(request).reverse(), trailer: TOKEN }), 'echo'], [(request: Buffer) => ({ value: request, trailer: undefined }), 'x-bench-upstream']] as const) {
      const server = new grpc.Server();
      server.addService(ECHO_DEFINITION, {
        unary: (call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => {
          const { value, trailer } = answer(call.request);
          const metadata = new grpc.Metadata();
          if (trailer !== undefined) metadata.set('x-bench-upstream', trailer);
          done(null, value, metadata);
        },
      });
      const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
      try {
        await expect(checkGrpcTarget({ id: 'impostor', url: `http://127.0.0.1:${port}` }, TOKEN)).rejects.toMatchObject({ code: 'SWY_BENCH_WRONG_ANSWER', field });
      } finally {
        server.forceShutdown();
      }
    }
  }, 30_000);
});
