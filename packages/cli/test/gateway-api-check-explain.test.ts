import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backendsOf, fillBackendPorts, gatewaySpecCases, type GatewaySpecCase, type GatewaySpecRequest } from '@switchyard/test-utils';
import { check } from '../src/check.js';
import { explainGateway } from '../src/explain.js';
import { runCli } from './helpers/cli-process.js';
import { tempDir } from './helpers/manifests.js';
import { requestLabel } from './helpers/spec-cases.js';

type Dir = Awaited<ReturnType<typeof tempDir>>;

/** A spec case's manifests in a file of its own, each backend's placeholder port filled with a distinct number. */
async function writeCase(dir: Dir, specCase: GatewaySpecCase, index: number): Promise<string> {
  const ports = new Map(backendsOf(specCase.manifests).map((backend, i) => [`${backend.namespace}/${backend.name}`, 20_000 + i]));
  return dir.write(`case-${index}.yaml`, fillBackendPorts(specCase.manifests, (namespace, name) => ports.get(`${namespace}/${name}`)!));
}

let dir: Dir;
const files = new Map<string, string>();

beforeAll(async () => {
  dir = await tempDir();
  for (const [i, specCase] of gatewaySpecCases.entries()) files.set(specCase.name, await writeCase(dir, specCase, i));
});

afterAll(async () => {
  await dir?.remove();
});

describe.each(gatewaySpecCases.map((specCase) => [specCase.name, specCase] as const))('spec case: %s', (name, specCase) => {
  test('check --gateway-class: no errors, every served Gateway Programmed, each listener with its conditions', async () => {
    const result = await check({ files: [files.get(name)!], gatewayClass: 'switchyard' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.status?.gateways.length).toBeGreaterThan(0);
    for (const gateway of result.status!.gateways) {
      expect(gateway.conditions.find((c) => c.type === 'Programmed')?.status, gateway.gateway).toBe('True');
      for (const listener of gateway.listeners) expect(listener.conditions.map((c) => c.type)).toEqual(expect.arrayContaining(['Accepted', 'ResolvedRefs', 'Programmed']));
    }
  });

  const requests = specCase.requests.map((request) => [requestLabel(request), request] as const);
  test.each(requests)('explain --port: %s', (_label, request) => explainsAsTheSpecSays(name, request));
});

async function explainsAsTheSpecSays(name: string, request: GatewaySpecRequest): Promise<void> {
  {
    const result = await explainGateway({
      files: [files.get(name)!],
      gatewayClass: 'switchyard',
      port: request.port,
      host: request.host,
      path: `${request.path}${request.query ? `?${request.query}` : ''}`,
      ...(request.method === undefined ? {} : { method: request.method }),
      ...(request.headers === undefined ? {} : { headers: request.headers }),
    });
    const winner = result.explanation.winner;
    if ('status' in request.expect) {
      expect(winner && `${winner.route} rule ${winner.rule}`).toBeNull();
      expect(result.explanation.summary).toMatch(/404/);
      return;
    }
    expect(winner && { route: winner.route, rule: winner.rule }).toEqual({ route: request.expect.route, rule: request.expect.rule });
    expect(winner!.backends[0]!.backendKey).toMatch(new RegExp(`/${request.expect.backend}:8080$`));
    // The endpoints come from the EndpointSlice of the same files.
    expect(result.endpoints[0]?.set.endpoints[0]).toMatchObject({ address: '127.0.0.1' });
  }
}

describe('switchyard check and explain on the command line', () => {
  const precedence = gatewaySpecCases.find((c) => c.name.startsWith('precedence'))!;

  test('check prints the Gateway API status block; --json gives it as status', async () => {
    const file = files.get(precedence.name)!;
    const text = await runCli(['check', '-f', file, '--gateway-class', 'switchyard']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Gateway API status:$/m);
    expect(text.stdout).toMatch(/^ {2}Gateway shop\/precedence: Accepted=True \(Accepted\), Programmed=True \(Programmed\)$/m);
    expect(text.stdout).toMatch(/^ {4}listener http \(5 routes\): Accepted=True \(Accepted\), ResolvedRefs=True \(ResolvedRefs\), Programmed=True \(Programmed\), Conflicted=False \(NoConflicts\)$/m);
    expect(text.stdout).toMatch(/^ {2}HTTPRoute shop\/by-method → Gateway shop\/precedence: Accepted=True \(Accepted\), ResolvedRefs=True \(ResolvedRefs\)$/m);

    const json = await runCli(['check', '-f', file, '--gateway-class', 'switchyard', '--json']);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout);
    expect(body.status.gateways[0]).toMatchObject({ gateway: 'shop/precedence', listeners: [{ name: 'http', attachedRoutes: 5 }] });
    expect(body.status.httpRoutes).toHaveLength(5);
  }, 30_000);

  test('check without --gateway-class says once that the Gateway API objects are not served, and shows no status', async () => {
    const text = await runCli(['check', '-f', files.get(precedence.name)!]);
    expect(text.code).toBe(0);
    const notes = text.stdout.split('\n').filter((line) => line.includes('SWY_CLI_GATEWAY_API_NOT_SERVED'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/1 Gateway, 5 HTTPRoutes.*--gateway-class switchyard/);
    expect(text.stdout).not.toMatch(/Gateway API status/);
    const json = JSON.parse((await runCli(['check', '-f', files.get(precedence.name)!, '--json'])).stdout);
    expect(json).not.toHaveProperty('status');
    expect(json.diagnostics.map((d: { code: string }) => d.code)).toContain('SWY_CLI_GATEWAY_API_NOT_SERVED');
  }, 30_000);

  test('check reports a Gateway API problem as a diagnostic and in the status, with its reason', async () => {
    const broken = await dir.write(
      'broken.yaml',
      `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: tls, namespace: shop }
spec:
  gatewayClassName: switchyard
  listeners:
  - name: https
    port: 443
    protocol: HTTPS
    tls:
      certificateRefs:
      - name: missing-cert
`,
    );
    const json = JSON.parse((await runCli(['check', '-f', broken, '--gateway-class', 'switchyard', '--json'])).stdout);
    expect(json.diagnostics.map((d: { code: string }) => d.code)).toContain('SWY_GATEWAY_CERTIFICATE_REF_INVALID');
    const listener = json.status.gateways[0].listeners[0];
    expect(listener.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef' })]));
    const text = await runCli(['check', '-f', broken, '--gateway-class', 'switchyard']);
    expect(text.stdout).toMatch(/listener https \(0 routes\): .*ResolvedRefs=False \(InvalidCertificateRef: Secret shop\/missing-cert is not found\)/);
  }, 30_000);

  test('explain --port: text names the selected listener, every candidate and the winner with its backend', async () => {
    const result = await runCli([
      'explain', '-f', files.get(precedence.name)!, '--gateway-class', 'switchyard', '--port', '80', '--host', 'p.test', '--path', '/p?q=1&r=1', '--method', 'POST', '--header', 'x-a=1',
    ]);
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^request: port 80, POST host p\.test, path \/p\?q=1&r=1$/m);
    expect(out).toMatch(/^ {2}selected {5}shop\/precedence http \(HTTP, any host\): /m);
    expect(out).toMatch(/^ {2}1\. no-match .*by-method.*the method is POST, not GET/m);
    expect(out).toMatch(/^ {2}2\. no-match .*by-two-headers.*header x-b is missing/m);
    expect(out).toMatch(/^ {2}3\. won .*by-one-header/m);
    expect(out).toMatch(/^ {2}4\. lost .*by-query.*it matches more headers \(1 against 0\)/m);
    expect(out).toMatch(/^ {2}5\. no-match .*by-longer-prefix.*not a prefix/m);
    expect(out).toMatch(/^winner: shop\/by-one-header spec\.rules\[0\]\.matches\[0\]$/m);
    expect(out).toMatch(/^ {2}backend spec\.rules\[0\]\.backendRefs\[0\]: weight 1 \(100%\) → shop\/one-header-svc:8080$/m);
    expect(out).toMatch(/^endpoints of shop\/one-header-svc:8080:$/m);
  }, 30_000);

  test('explain --port --json: the explanation as data', async () => {
    const result = await runCli(['explain', '-f', files.get(precedence.name)!, '--gateway-class', 'switchyard', '--port', '80', '--host', 'p.test', '--path', '/p', '--method', 'POST', '--json']);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body).toMatchObject({ port: 80, host: 'p.test', path: '/p', method: 'POST', winner: null, endpoints: [] });
    expect(body.candidates.map((c: { failed: { field: string; name: string | null } }) => c.failed)).toEqual([
      { field: 'method', name: null },
      { field: 'header', name: 'x-a' },
      { field: 'header', name: 'x-a' },
      { field: 'query', name: 'q' },
      { field: 'path', name: null },
    ]);
  }, 30_000);
});
