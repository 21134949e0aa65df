import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, type Gateway as CoreGateway, type GatewayClass as CoreGatewayClass, type HTTPRoute, type Ingress, type IngressClass as CoreIngressClass, type Service as CoreService } from '@switchyard/core';
import { DEFAULT_DRAIN_TIMEOUT_MS } from '@switchyard/fastify';
import { describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
// Not public API: the test parses the manifests' args with the CLI's own parser.
import { parseBinds, parseCommandLine } from '../../../packages/cli/src/command-line.js';
import { DEFAULT_CONTROLLER_NAME } from '../../../packages/cli/src/kubernetes-source.js';
import type { Deployment, Gateway, GatewayClass, IngressClass, PodDisruptionBudget, Service } from './helpers/kube-types.js';
import { DEMO_DIR, MANIFESTS_DIR, containerArgs, flagValue, loadExample, loadManifestDir, portOf, routerContainer, theObject, type ManifestEntry } from './helpers/manifests.js';

// Kinds with no namespace. Every other kind in the manifests is namespaced and must say in
// which namespace it goes: left out, kubectl would put it in the user's current namespace.
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'IngressClass', 'GatewayClass']);

const example = loadManifestDir(MANIFESTS_DIR);
const demo = loadManifestDir(DEMO_DIR);
const objects = example.map((e) => e.object);
const deployment = theObject<Deployment>(objects, 'Deployment', 'switchyard');
const podSpec = deployment.spec.template.spec;
const podLabels = deployment.spec.template.metadata?.labels ?? {};
const container = routerContainer(objects);
const args = containerArgs(objects);
/** The --bind values: Gateway listener port → where the pod listens for it. */
const binds = new Map(parseBinds(args.flatMap((arg, i) => (args[i - 1] === '--bind' ? [arg] : []))).map((b) => [b.port, b.listen]));
const demoGateways = demo.filter((e) => e.object.kind === 'Gateway').map((e) => e.object as Gateway);
// The CLI has no drain flag: `serve` drains with the gateway's default deadline.
const DRAIN_DEADLINE_SECONDS = DEFAULT_DRAIN_TIMEOUT_MS / 1000;

/** The containerPort a probe or Service targetPort names (by name or number). */
function containerPortOf(port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** True when `selector` selects the Deployment's pods. */
function selectsPods(selector: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([key, value]) => podLabels[key] === value);
}

describe.each([
  ['manifests/', example],
  ['manifests/demo/', demo],
])('%s', (_dir, entries: ManifestEntry[]) => {
  test('holds objects, each with apiVersion, kind and metadata.name', () => {
    expect(entries.length).toBeGreaterThan(0);
    for (const { file, document, object } of entries) {
      const where = `${file}#${document}`;
      expect(typeof object.apiVersion, where).toBe('string');
      expect(typeof object.kind, where).toBe('string');
      expect(typeof object.metadata?.name, where).toBe('string');
    }
  });

  test('is order-safe: every namespaced object names a namespace created before it', () => {
    const created = new Set<string>();
    for (const { file, document, object } of entries) {
      const where = `${file}#${document} ${object.kind}/${object.metadata?.name}`;
      if (CLUSTER_SCOPED.has(object.kind!)) {
        expect(object.metadata?.namespace, `${where} is cluster-scoped`).toBeUndefined();
      } else {
        expect(object.metadata?.namespace, `${where} needs metadata.namespace`).toBeTypeOf('string');
        expect(created.has(object.metadata!.namespace!), `${where}: its Namespace comes later or not at all`).toBe(true);
      }
      if (object.kind === 'Namespace') created.add(object.metadata!.name!);
    }
  });
});

describe('the Deployment', () => {
  test('runs two replicas (one serves while the other is moved; one stands by to write status) of pods its selector selects', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(selectsPods(deployment.spec.selector.matchLabels)).toBe(true);
  });

  test('rolls out without losing capacity: a new pod is ready before an old one goes', () => {
    expect(deployment.spec.strategy?.type).toBe('RollingUpdate');
    expect(deployment.spec.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
    expect(deployment.spec.strategy?.rollingUpdate?.maxSurge).toBeGreaterThanOrEqual(1);
  });

  test("runs a command line the CLI's own parser accepts as serve --kubernetes", () => {
    const parsed = parseCommandLine(args);
    expect(parsed.command).toBe('serve');
    if (parsed.command !== 'serve') return;
    // One process per pod: more routers means more replicas, not --workers.
    expect(parsed.workers).toBe(1);
    expect(parsed.options).toEqual({
      kubernetes: { lease: { namespace: 'switchyard', name: 'switchyard-gateway-status' }, gatewayAddresses: { service: 'switchyard/switchyard-gateway' } },
      ingressClass: 'switchyard',
      gatewayBinds: [{ port: 80, listen: { host: '0.0.0.0', port: 8081 } }],
      listen: { host: '0.0.0.0', port: 8080 },
      https: { listen: { host: '0.0.0.0', port: 8443 }, publicPort: 443 },
      admin: { host: '0.0.0.0', port: 9901 },
    });
  });

  test('serves from the cluster with the in-cluster config', () => {
    expect(args[0]).toBe('serve');
    expect(args).toContain('--kubernetes');
    expect(flagValue(args, '--ingress-class')).toBe('switchyard');
    expect(args.some((a) => a.startsWith('--kubeconfig'))).toBe(false);
    expect(podSpec.serviceAccountName).toBe('switchyard');
    expect(podSpec.automountServiceAccountToken).not.toBe(false);
  });

  test('probes readiness on /readyz and liveness on /healthz, both on the --admin port', () => {
    const admin = flagValue(args, '--admin');
    expect(admin).toBeDefined();
    expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(containerPortOf(container.readinessProbe?.httpGet?.port)).toBe(portOf(admin!));
    expect(containerPortOf(container.livenessProbe?.httpGet?.port)).toBe(portOf(admin!));
  });

  test('declares the container ports the command line listens on', () => {
    expect(containerPortOf('http')).toBe(portOf(flagValue(args, '--listen')!));
    expect(containerPortOf('https')).toBe(portOf(flagValue(args, '--tls-listen')!));
    expect(containerPortOf('admin')).toBe(portOf(flagValue(args, '--admin')!));
    // In a pod the addresses must be the pod's, not loopback: the kubelet and the Service reach it from outside.
    for (const flag of ['--listen', '--tls-listen', '--admin']) expect(flagValue(args, flag)).toMatch(/^(0\.0\.0\.0|\[::\]):\d+$/);
    for (const [port, listen] of binds) {
      expect(['0.0.0.0', '::'], `--bind ${port}`).toContain(listen.host);
      expect(container.ports?.some((p) => p.containerPort === listen.port), `--bind ${port}: containerPort ${listen.port}`).toBe(true);
    }
  });

  test('binds every listener port of the demo Gateway: the pod runs non-root, so a port below 1024 is not listened on without one', () => {
    expect(demoGateways.length).toBeGreaterThan(0);
    for (const gateway of demoGateways) {
      for (const listener of gateway.spec.listeners) expect(binds.has(listener.port), `${gateway.metadata?.name} listener ${listener.name} port ${listener.port}`).toBe(true);
    }
    // A bind below 1024 would need NET_BIND_SERVICE, which the container drops.
    for (const listen of binds.values()) expect(listen.port).toBeGreaterThanOrEqual(1024);
  });

  test('elects the Gateway API status writer with a Lease in its own namespace, each pod under its name from the downward API', () => {
    const lease = flagValue(args, '--lease');
    expect(lease).toMatch(new RegExp(`^${deployment.metadata!.namespace}/[a-z0-9-]+$`));
    const podName = container.env?.find((e) => e.name === 'POD_NAME');
    expect(podName?.value).toBeUndefined();
    expect(podName?.valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    // The identity defaults to $POD_NAME only when no --lease-identity overrides it.
    expect(flagValue(args, '--lease-identity')).toBeUndefined();
  });

  test('requests and limits CPU and memory, with the V8 heap below the memory limit', () => {
    for (const kind of ['requests', 'limits'] as const) {
      expect(container.resources?.[kind]?.['cpu'], kind).toBeDefined();
      expect(container.resources?.[kind]?.['memory'], kind).toBeDefined();
    }
    const limitMi = mebibytes(container.resources!.limits!['memory']!);
    const heap = container.env?.find((e) => e.name === 'NODE_OPTIONS')?.value?.match(/--max-old-space-size=(\d+)/)?.[1];
    expect(heap).toBeDefined();
    expect(Number(heap)).toBeLessThan(limitMi);
  });

  test('runs non-root, read-only, unprivileged, with every capability dropped', () => {
    const pod = podSpec.securityContext ?? {};
    const own = container.securityContext ?? {};
    expect(own.runAsNonRoot ?? pod.runAsNonRoot).toBe(true);
    expect(own.runAsUser ?? pod.runAsUser).not.toBe(0);
    expect(own.allowPrivilegeEscalation).toBe(false);
    expect(own.privileged).not.toBe(true);
    expect(own.readOnlyRootFilesystem).toBe(true);
    expect(own.capabilities?.drop).toContain('ALL');
    expect(own.capabilities?.add ?? []).toEqual([]);
    expect((own.seccompProfile ?? pod.seccompProfile)?.type).toBe('RuntimeDefault');
  });

  test('sleeps in preStop, then has time to drain before the kubelet kills it', () => {
    const preStop = container.lifecycle?.preStop;
    const command = preStop?.exec?.command;
    const sleepSeconds = preStop?.sleep?.seconds ?? (command?.[0] === 'sleep' ? Number(command[1]) : undefined);
    expect(sleepSeconds).toBeGreaterThan(0);
    // The grace period counts from the start of preStop: sleep, then SIGTERM and the drain.
    expect(podSpec.terminationGracePeriodSeconds).toBeGreaterThan(sleepSeconds! + DRAIN_DEADLINE_SECONDS);
  });

  test('spreads its pods across nodes', () => {
    const byNode = podSpec.topologySpreadConstraints?.find((c) => c.topologyKey === 'kubernetes.io/hostname');
    expect(byNode).toBeDefined();
    expect(byNode!.maxSkew).toBe(1);
    expect(selectsPods(byNode!.labelSelector?.matchLabels)).toBe(true);
  });
});

test('the PodDisruptionBudget covers the pods and lets a drain proceed one pod at a time', () => {
  const pdb = theObject<PodDisruptionBudget>(objects, 'PodDisruptionBudget');
  expect(pdb.apiVersion).toBe('policy/v1');
  expect(pdb.metadata?.namespace).toBe(deployment.metadata?.namespace);
  expect(selectsPods(pdb.spec.selector?.matchLabels)).toBe(true);
  const replicas = deployment.spec.replicas!;
  const allowed = pdb.spec.maxUnavailable !== undefined ? Number(pdb.spec.maxUnavailable) : replicas - Number(pdb.spec.minAvailable);
  expect(allowed).toBeGreaterThanOrEqual(1);
  expect(allowed).toBeLessThan(replicas);
});

describe('the LoadBalancer Service', () => {
  const service = theObject<Service>(objects, 'Service', 'switchyard');

  test('sends 80 to the --listen port and 443 to the --tls-listen port of the selected pods', () => {
    expect(service.spec.type).toBe('LoadBalancer');
    expect(selectsPods(service.spec.selector)).toBe(true);
    const targets = Object.fromEntries((service.spec.ports ?? []).map((p) => [p.port, containerPortOf(p.targetPort)]));
    expect(targets).toEqual({ 80: portOf(flagValue(args, '--listen')!), 443: portOf(flagValue(args, '--tls-listen')!) });
  });

  test('keeps client addresses with externalTrafficPolicy: Local, and says why', () => {
    expect(service.spec.externalTrafficPolicy).toBe('Local');
    const text = readFileSync(join(MANIFESTS_DIR, example.find((e) => e.object === service)!.file), 'utf8');
    const document = parseAllDocuments(text).find((d) => !Array.isArray(d) && d.get('kind') === 'Service');
    const spec = document && !Array.isArray(document) ? document.get('spec', true) : undefined;
    const pair = (spec as { items?: Array<{ key: { value?: unknown; commentBefore?: string } }> } | undefined)?.items?.find((i) => i.key.value === 'externalTrafficPolicy');
    expect(pair?.key.commentBefore ?? '').toMatch(/client/i);
  });
});

describe('the Gateway Service', () => {
  const service = theObject<Service>(objects, 'Service', flagValue(args, '--publish-service')!.split('/')[1]);

  test('is the --publish-service: a LoadBalancer in the namespace the flag names, selecting the pods', () => {
    expect(`${service.metadata?.namespace}/${service.metadata?.name}`).toBe(flagValue(args, '--publish-service'));
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.spec.externalTrafficPolicy).toBe('Local');
    expect(selectsPods(service.spec.selector)).toBe(true);
  });

  test('sends each demo Gateway listener port to the pod port its --bind listens on, so the port clients reach is the listener port', () => {
    const targets = Object.fromEntries((service.spec.ports ?? []).map((p) => [p.port, containerPortOf(p.targetPort)]));
    const listenerPorts = [...new Set(demoGateways.flatMap((g) => g.spec.listeners.map((l) => l.port)))];
    expect(targets).toEqual(Object.fromEntries(listenerPorts.map((port) => [port, binds.get(port)?.port])));
  });
});

describe('the GatewayClass', () => {
  const gatewayClass = theObject<GatewayClass>(objects, 'GatewayClass');

  test("names Switchyard's default controller, which the Deployment does not override", () => {
    expect(gatewayClass.spec.controllerName).toBe(DEFAULT_CONTROLLER_NAME);
    expect(DEFAULT_CONTROLLER_NAME).toBe('switchyard.dev/gateway-controller');
    expect(flagValue(args, '--controller-name') ?? DEFAULT_CONTROLLER_NAME).toBe(gatewayClass.spec.controllerName);
    // Every GatewayClass of the controller is served: a --gateway-class would narrow it to one, which must then be this one.
    expect(flagValue(args, '--gateway-class') ?? gatewayClass.metadata?.name).toBe(gatewayClass.metadata?.name);
  });

  test('takes the demo Gateway and HTTPRoute, which compile without a diagnostic and route to the echo Service', () => {
    const gateways = demoGateways as unknown as CoreGateway[];
    const httpRoutes = demo.filter((e) => e.object.kind === 'HTTPRoute').map((e) => e.object as unknown as HTTPRoute);
    const services = demo.filter((e) => e.object.kind === 'Service').map((e) => e.object as unknown as CoreService);
    expect(gateways.map((g) => g.spec?.gatewayClassName)).toEqual([gatewayClass.metadata?.name]);
    expect(httpRoutes).toHaveLength(1);
    const { table, diagnostics } = compile({ ingresses: [], gateways, httpRoutes, services, gatewayClasses: [gatewayClass as unknown as CoreGatewayClass], controllerName: DEFAULT_CONTROLLER_NAME });
    expect(diagnostics).toEqual([]);
    expect(table.gatewayStatus.gatewayClasses.map((c) => c.conditions.find((k) => k.type === 'Accepted')?.status)).toEqual(['True']);
    expect(table.gatewayPorts()).toEqual([80]);
    // Another controller's class would not take it.
    const other = compile({ ingresses: [], gateways, httpRoutes, services, gatewayClasses: [{ ...gatewayClass, spec: { controllerName: 'example.com/other' } } as unknown as CoreGatewayClass], controllerName: DEFAULT_CONTROLLER_NAME });
    expect(other.table.gatewayPorts()).toEqual([]);
  });
});

describe('the IngressClass', () => {
  const ingressClass = theObject<IngressClass>(objects, 'IngressClass');

  test('is the class the router serves, with the Switchyard controller name', () => {
    expect(ingressClass.metadata?.name).toBe(flagValue(args, '--ingress-class'));
    expect(ingressClass.spec?.controller).toBe('switchyard.dev/ingress-controller');
  });

  test("takes the demo Ingress, which compiles without a diagnostic under the router's class", () => {
    const ingresses = demo.filter((e) => e.object.kind === 'Ingress').map((e) => e.object as unknown as Ingress);
    expect(ingresses).toHaveLength(1);
    const { table, diagnostics } = compile({ ingresses, ingressClasses: [ingressClass as unknown as CoreIngressClass], ingressClass: flagValue(args, '--ingress-class')! });
    expect(diagnostics).toEqual([]);
    const host = ingresses[0]!.spec!.rules![0]!.host!;
    expect(table.match(host, '/anything')?.backend).toMatchObject({ namespace: 'switchyard-demo', service: { name: 'echo' } });
    // Another class's router would not take it.
    expect(compile({ ingresses, ingressClass: 'other' }).table.match(host, '/')).toBeUndefined();
  });
});

/** `256Mi` → 256, `1Gi` → 1024. */
function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`memory quantity ${quantity} is not in Mi or Gi`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

