import { Router, StaticDiscovery, compile, type EndpointInput, type HTTPIngressPath, type Ingress, type IngressRule, type RouteTable } from '@switchyard/core';
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { afterEach, expect } from 'vitest';
import { httpPath, ingress as ingressObject, rule, serviceBackend } from '@switchyard/test-utils';
import { createAdminServer, type AdminServerOptions } from '../../src/admin/admin-server.js';
import { GatewayMetrics } from '../../src/admin/metrics.js';

/** A Prefix or Exact path to Service `service` port 80. */
export function path(path: string, service: string, pathType: 'Prefix' | 'Exact' = 'Prefix'): HTTPIngressPath {
  return httpPath(path, pathType, service);
}

/** An Ingress in namespace `default`, optionally with a default backend Service. */
export function ingress(name: string, rules: IngressRule[], defaultService?: string): Ingress {
  return ingressObject(name, {
    namespace: 'default',
    created: '2024-01-01T00:00:00Z',
    rules,
    ...(defaultService === undefined ? {} : { defaultBackend: serviceBackend(defaultService) }),
  });
}

export function tableOf(...ingresses: Ingress[]): RouteTable {
  const { table, diagnostics } = compile({ ingresses });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return table;
}

/**
 * The table most tests use: `foo.com` with Prefix `/` and Exact `/exact` to `svc`,
 * `*.wild.com` to `svc`, a hostless `/api` to `missing` (a Service discovery does not
 * know), and the default backend `fallback`.
 */
export function standardTable(): RouteTable {
  return tableOf(
    ingress('web', [rule('foo.com', path('/', 'svc'), path('/exact', 'svc', 'Exact')), rule('*.wild.com', path('/', 'svc')), rule(undefined, path('/api', 'missing'))], 'fallback'),
  );
}

export const STANDARD_ENDPOINTS: Readonly<Record<string, readonly EndpointInput[]>> = {
  'default/svc:80': [
    { address: '127.0.0.1', port: 1234 },
    { address: '127.0.0.2', port: 1234, ready: false, serving: true, terminating: true, zone: 'z1' },
  ],
  'default/fallback:80': [{ address: '127.0.0.3', port: 1234, weight: 3 }],
};

export interface AdminFixture {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly router: Router;
  readonly discovery: StaticDiscovery;
  readonly metrics: GatewayMetrics;
}

const started: Array<{ app: FastifyInstance; router: Router }> = [];

afterEach(async () => {
  for (const { app, router } of started.splice(0)) {
    await app.close();
    router.close();
  }
});

/** A router over `table` and a StaticDiscovery, and an admin app listening on 127.0.0.1:0; closed after the test. */
export async function startAdmin(
  options: { table?: RouteTable; endpoints?: Readonly<Record<string, readonly EndpointInput[]>>; metrics?: GatewayMetrics } & Partial<Omit<AdminServerOptions, 'router' | 'metrics'>> = {},
): Promise<AdminFixture> {
  const { table = standardTable(), endpoints = STANDARD_ENDPOINTS, metrics = new GatewayMetrics(), ...rest } = options;
  const discovery = new StaticDiscovery({ endpoints });
  // Dropped backends leave at once, so a test sees a swap's effect on the gauges without waiting.
  const router = new Router({ table, discovery, retainDroppedMs: 0 });
  const app = createAdminServer({ router, metrics, ...rest });
  started.push({ app, router });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the admin app has no TCP address');
  return { url: `http://127.0.0.1:${address.port}`, app, router, discovery, metrics };
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: any;
}

/** A real HTTP request with undici. */
export async function get(url: string, method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' = 'GET', body?: string): Promise<Answer> {
  const response = await request(url, { method, ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }) });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text, json };
}

/** One sample of a Prometheus text exposition, by metric name and exactly these labels; undefined when absent. */
export function sample(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
  for (const line of exposition.split('\n')) {
    const parsed = parseSample(line);
    if (parsed === undefined || parsed.name !== name) continue;
    if (JSON.stringify(Object.entries(parsed.labels).sort(([a], [b]) => a.localeCompare(b))) === wanted) return parsed.value;
  }
  return undefined;
}

/** Every sample of a metric name, with its labels. */
export function samples(exposition: string, name: string): Array<{ labels: Record<string, string>; value: number }> {
  return exposition
    .split('\n')
    .map(parseSample)
    .filter((parsed): parsed is NonNullable<typeof parsed> => parsed !== undefined && parsed.name === name)
    .map(({ labels, value }) => ({ labels, value }));
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function parseSample(line: string): { name: string; labels: Record<string, string>; value: number } | undefined {
  if (line.startsWith('#')) return undefined;
  const match = SAMPLE_LINE.exec(line);
  if (match === null) return undefined;
  const labels: Record<string, string> = {};
  for (const pair of (match[2] ?? '').matchAll(LABEL_PAIR)) labels[pair[1]!] = pair[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  return { name: match[1]!, labels, value: Number(match[3]) };
}
