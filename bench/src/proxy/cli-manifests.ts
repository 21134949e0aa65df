import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NAME_LABEL, type Ingress } from '@switchyard/core';
import { manifestsYaml, type ManifestValue } from './manifest-yaml.js';

/** The Service ports every generated backend gets: the port numbers and names the generated Ingresses use. */
const SERVICE_PORTS: ReadonlyArray<{ readonly name: string; readonly port: number }> = [
  { name: 'http', port: 80 },
  { name: 'web', port: 8080 },
  { name: 'alt', port: 3000 },
];

/** Ingresses per file when a generated table is written out: a directory of manifests as a team keeps it. */
export const INGRESSES_PER_FILE = 10;

/** The file holding every Service and EndpointSlice of a manifest directory. */
export const SERVICES_FILE = 'services.yaml';

/**
 * A Service for each backend the Ingresses name (`namespace/name`), with the ports 80 `http`,
 * 8080 `web` and 3000 `alt`, and an EndpointSlice putting every port of it at the upstream:
 * whatever port an Ingress asks for, by number or by name, the request reaches the upstream.
 */
export function servicesAt(ingresses: readonly Ingress[], upstreamPort: number): ManifestValue[] {
  const backends = new Map<string, { namespace: string; name: string }>();
  for (const ingress of ingresses) {
    const namespace = ingress.metadata?.namespace ?? 'default';
    const services = [ingress.spec?.defaultBackend?.service, ...(ingress.spec?.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).map((path) => path.backend.service))];
    for (const service of services) if (service !== undefined) backends.set(`${namespace}/${service.name}`, { namespace, name: service.name });
  }
  return [...backends.values()].flatMap(({ namespace, name }) => [
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: SERVICE_PORTS.map(({ name: port, port: number }) => ({ name: port, port: number, targetPort: upstreamPort })) } },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-1`, namespace, labels: { [SERVICE_NAME_LABEL]: name } },
      addressType: 'IPv4',
      ports: SERVICE_PORTS.map(({ name: port }) => ({ name: port, port: upstreamPort })),
      endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
    },
  ]);
}

/**
 * Writes a table as `switchyard serve -f DIR` reads it: the Ingresses in YAML files of
 * `INGRESSES_PER_FILE` each (`ingresses-000.yaml`, ...), and their Services and
 * EndpointSlices, at the upstream, in `SERVICES_FILE`. Returns the directory.
 */
export function writeManifestDir(dir: string, ingresses: readonly Ingress[], upstreamPort: number): string {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i * INGRESSES_PER_FILE < ingresses.length; i++) {
    const chunk = ingresses.slice(i * INGRESSES_PER_FILE, (i + 1) * INGRESSES_PER_FILE);
    writeFileSync(join(dir, `ingresses-${String(i).padStart(3, '0')}.yaml`), manifestsYaml(chunk as unknown as ManifestValue[]));
  }
  writeFileSync(join(dir, SERVICES_FILE), manifestsYaml(servicesAt(ingresses, upstreamPort)));
  return dir;
}
