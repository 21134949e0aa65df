import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './helpers/cli-process.js';
import { tempDir } from './helpers/manifests.js';

type Dir = Awaited<ReturnType<typeof tempDir>>;

const MANIFESTS = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: shop, creationTimestamp: "2026-01-01T00:00:00Z" }
spec:
  gatewayClassName: switchyard
  listeners: [{ name: h2c, port: 8080, protocol: HTTP }]
---
apiVersion: v1
kind: Service
metadata: { name: users, namespace: shop }
spec: { ports: [{ port: 50051 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: users, namespace: shop, creationTimestamp: "2026-01-02T00:00:00Z" }
spec:
  parentRefs: [{ name: gw }]
  hostnames: [grpc.example.com]
  rules:
    - matches: [{ method: { service: pkg.Users, method: GetUser } }]
      backendRefs: [{ name: users, port: 50051 }]
    - matches: [{ method: { service: pkg.Users } }]
      backendRefs: [{ name: gone, port: 50051 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: bad, namespace: shop }
spec:
  parentRefs: [{ name: gw }]
  rules: [{ matches: [{ method: { service: "pkg/Users" } }], backendRefs: [{ name: users, port: 50051 }] }]
`;

let dir: Dir;
let file: string;

beforeAll(async () => {
  dir = await tempDir();
  file = await dir.write('grpc.yaml', MANIFESTS);
});

afterAll(async () => {
  await dir?.remove();
});

describe('switchyard check and explain with GRPCRoutes', () => {
  test('check reports an invalid GRPCRoute with its field, and GRPCRoute statuses with reasons', async () => {
    const json = await runCli(['check', '-f', file, '--gateway-class', 'switchyard', '--json']);
    const body = JSON.parse(json.stdout);
    expect(body.diagnostics).toContainEqual(expect.objectContaining({ code: 'SWY_GRPCROUTE_MATCH_INVALID', object: 'shop/bad', field: 'spec.rules[0].matches[0].method.service' }));
    expect(body.diagnostics).toContainEqual(expect.objectContaining({ code: 'SWY_GRPCROUTE_BACKEND_UNRESOLVED', object: 'shop/users', field: 'spec.rules[1].backendRefs[0]' }));
    expect(body.status.grpcRoutes).toHaveLength(1);
    expect(body.status.gateways[0].listeners[0]).toMatchObject({ attachedRoutes: 1, supportedKinds: [{ kind: 'HTTPRoute' }, { kind: 'GRPCRoute' }] });
    const text = await runCli(['check', '-f', file, '--gateway-class', 'switchyard']);
    expect(text.stdout).toMatch(/^ {2}GRPCRoute shop\/users → Gateway shop\/gw: Accepted=True \(Accepted\), ResolvedRefs=False \(BackendNotFound: Service shop\/gone is not found\)$/m);
  }, 30_000);

  test('explain --grpc-service --grpc-method explains a gRPC call', async () => {
    const result = await runCli(['explain', '-f', file, '--gateway-class', 'switchyard', '--port', '8080', '--host', 'grpc.example.com', '--grpc-service', 'pkg.Users', '--grpc-method', 'GetUser', '--json']);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body).toMatchObject({ method: 'POST', path: '/pkg.Users/GetUser', winner: { route: 'shop/users', kind: 'GRPCRoute', rule: 0 } });
    expect(body.candidates.map((c: { outcome: string }) => c.outcome)).toEqual(['won', 'lost']);
  }, 30_000);

  test('explain --grpc --path: another method of the service goes to the service rule', async () => {
    const result = await runCli(['explain', '-f', file, '--gateway-class', 'switchyard', '--port', '8080', '--host', 'grpc.example.com', '--grpc', '--path', '/pkg.Users/ListUsers', '--json']);
    const body = JSON.parse(result.stdout);
    expect(body.winner).toMatchObject({ route: 'shop/users', rule: 1 });
    expect(body.winner.backends[0].problem.reason).toBe('BackendNotFound');
  }, 30_000);

  test('without --grpc the same path is no gRPC call: no route', async () => {
    const result = await runCli(['explain', '-f', file, '--gateway-class', 'switchyard', '--port', '8080', '--host', 'grpc.example.com', '--path', '/pkg.Users/GetUser', '--json']);
    const body = JSON.parse(result.stdout);
    expect(body.winner).toBeNull();
    expect(body.candidates[0].failed).toEqual({ field: 'method', name: null });
  }, 30_000);

  test('flag misuse is a usage error', async () => {
    const half = await runCli(['explain', '-f', file, '--gateway-class', 'switchyard', '--port', '8080', '--host', 'h', '--grpc-service', 'pkg.Users']);
    expect(half.code).not.toBe(0);
    expect(half.stderr).toMatch(/--grpc-method/);
    const noPort = await runCli(['explain', '-f', file, '--host', 'h', '--grpc-service', 'a.B', '--grpc-method', 'C']);
    expect(noPort.code).not.toBe(0);
    expect(noPort.stderr).toMatch(/--port/);
  }, 30_000);
});
