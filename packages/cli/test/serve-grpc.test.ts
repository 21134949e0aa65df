import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCli, type CliProcess } from './helpers/cli-process.js';
import { tempDir } from './helpers/manifests.js';

// gRPC end to end through `switchyard serve`: a grpc-js client speaks h2c to a plain Gateway
// listener port, a GRPCRoute routes the service to a Service whose port says
// `appProtocol: kubernetes.io/h2c`, and the upstream is a grpc-js server.

const bytes = (value: Buffer): Buffer => value;
const method = (path: string, requestStream: boolean, responseStream: boolean) => ({
  path,
  requestStream,
  responseStream,
  requestSerialize: bytes,
  requestDeserialize: bytes,
  responseSerialize: bytes,
  responseDeserialize: bytes,
  originalName: path,
});
const GREETER = { hello: method('/demo.Greeter/Hello', false, false), count: method('/demo.Greeter/Count', false, true), sum: method('/demo.Greeter/Sum', true, false) } satisfies grpc.ServiceDefinition;
const UNROUTED = { call: method('/demo.Unrouted/Call', false, false) } satisfies grpc.ServiceDefinition;
type Client = grpc.Client & Record<string, (...args: any[]) => any>;
const GreeterClient = grpc.makeGenericClientConstructor(GREETER, 'Greeter') as unknown as new (address: string, credentials: grpc.ChannelCredentials) => Client;
const UnroutedClient = grpc.makeGenericClientConstructor(UNROUTED, 'Unrouted') as unknown as new (address: string, credentials: grpc.ChannelCredentials) => Client;

const GATEWAY_PORT = 18090;
let server: grpc.Server;
let dir: Awaited<ReturnType<typeof tempDir>>;
let cli: CliProcess;
let address: string;

function manifests(upstreamPort: number): string {
  return `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: switchyard }
spec: { controllerName: switchyard.dev/gateway-controller }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: default }
spec:
  gatewayClassName: switchyard
  listeners: [{ name: grpc, port: ${GATEWAY_PORT}, protocol: HTTP }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: greeter, namespace: default }
spec:
  parentRefs: [{ name: gw }]
  rules: [{ matches: [{ method: { service: demo.Greeter } }], backendRefs: [{ name: greeter, port: 50051 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: greeter, namespace: default }
spec: { ports: [{ name: grpc, port: 50051, targetPort: ${upstreamPort}, appProtocol: kubernetes.io/h2c }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: greeter-1, namespace: default, labels: { kubernetes.io/service-name: greeter } }
addressType: IPv4
ports: [{ name: grpc, port: ${upstreamPort}, appProtocol: kubernetes.io/h2c }]
endpoints: [{ addresses: [127.0.0.1], conditions: { ready: true } }]
`;
}

beforeAll(async () => {
  server = new grpc.Server();
  server.addService(GREETER, {
    hello: (call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => {
      const trailer = new grpc.Metadata();
      trailer.set('x-greeted', call.request.toString());
      done(null, Buffer.from(`hello ${call.request.toString()}`), trailer);
    },
    count: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
      for (let i = 1; i <= Number(call.request.toString()); i++) call.write(Buffer.from(String(i)));
      call.end();
    },
    sum: (call: grpc.ServerReadableStream<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => {
      let total = 0;
      call.on('data', (part: Buffer) => (total += Number(part.toString())));
      call.on('end', () => done(null, Buffer.from(String(total))));
    },
  });
  const upstreamPort = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))));
  dir = await tempDir();
  const file = await dir.write('grpc.yaml', manifests(upstreamPort));
  // No --h2c: a plain Gateway listener port takes h2c by itself (GRPCRoute's spec requires it).
  cli = startCli(['serve', '-f', file, '--gateway-class', 'switchyard', '--bind', `${GATEWAY_PORT}=127.0.0.1:0`, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0']);
  const line = await cli.waitFor('stdout', new RegExp(`^switchyard: gateway ${GATEWAY_PORT} http http://(127\\.0\\.0\\.1:\\d+)$`, 'm'), 30_000);
  address = line[1]!;
}, 60_000);

afterAll(async () => {
  await cli?.stop();
  server?.forceShutdown();
  await dir?.remove();
});

describe('switchyard serve: gRPC through a GRPCRoute on a plain Gateway port to an h2c upstream', () => {
  test('a unary call: the answer and the upstream\'s trailers reach the client', async () => {
    const client = new GreeterClient(address, grpc.credentials.createInsecure());
    try {
      const trailers = new Promise<grpc.Metadata>((resolve) => {
        const call = client['hello']!(Buffer.from('switchyard'), (error: grpc.ServiceError | null, reply: Buffer) => {
          expect(error).toBeNull();
          expect(reply.toString()).toBe('hello switchyard');
        });
        call.on('status', (status: grpc.StatusObject) => resolve(status.metadata));
      });
      expect((await trailers).get('x-greeted')).toEqual(['switchyard']);
    } finally {
      client.close();
    }
  });

  test('server streaming and client streaming calls flow through', async () => {
    const client = new GreeterClient(address, grpc.credentials.createInsecure());
    try {
      const counted: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const call = client['count']!(Buffer.from('3'));
        call.on('data', (message: Buffer) => counted.push(message.toString()));
        call.on('end', resolve);
        call.on('error', reject);
      });
      expect(counted).toEqual(['1', '2', '3']);
      const sum = await new Promise<string>((resolve, reject) => {
        const call = client['sum']!((error: grpc.ServiceError | null, reply: Buffer) => (error ? reject(error) : resolve(reply.toString())));
        for (const n of [1, 2, 39]) call.write(Buffer.from(String(n)));
        call.end();
      });
      expect(sum).toBe('42');
    } finally {
      client.close();
    }
  });

  test('metrics and the log line carry the grpc-status: the upstream\'s OK, the gateway\'s own UNIMPLEMENTED', async () => {
    const client = new GreeterClient(address, grpc.credentials.createInsecure());
    const unrouted = new UnroutedClient(address, grpc.credentials.createInsecure());
    try {
      await new Promise<void>((resolve, reject) => client['hello']!(Buffer.from('metrics'), (error: grpc.ServiceError | null) => (error ? reject(error) : resolve())));
      await new Promise<void>((resolve) => unrouted['call']!(Buffer.from('x'), () => resolve()));
    } finally {
      client.close();
      unrouted.close();
    }
    const { admin } = await cli.urls();
    const metrics = await (await fetch(`${admin}/metrics`)).text();
    expect(metrics).toMatch(/^switchyard_grpc_requests_total\{host="\*",backend="default\/greeter:50051",grpc_status="0"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^switchyard_grpc_requests_total\{host="",backend="",grpc_status="12"\} [1-9]\d*$/m);
    await cli.waitFor('stdout', /"path":"\/demo\.Greeter\/Hello"[^\n]*|"grpcStatus":0[^\n]*"path":"\/demo\.Greeter\/Hello"/);
    expect(cli.stdout).toMatch(/"grpcStatus":0[^\n]*"path":"\/demo\.Greeter\/Hello"|"path":"\/demo\.Greeter\/Hello"[^\n]*"grpcStatus":0/);
  });

  test('a service no GRPCRoute matches: UNIMPLEMENTED from the gateway, with its x-switchyard-error', async () => {
    const client = new UnroutedClient(address, grpc.credentials.createInsecure());
    try {
      const error = await new Promise<grpc.ServiceError>((resolve) => client['call']!(Buffer.from('x'), (e: grpc.ServiceError | null) => resolve(e!)));
      expect(error.code).toBe(grpc.status.UNIMPLEMENTED);
      expect(error.metadata.get('x-switchyard-error')).toEqual(['SWY_PROXY_NO_ROUTE']);
    } finally {
      client.close();
    }
  });
});
