import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary directory for a test's manifests, removed by `remove()`. */
export async function tempDir(): Promise<{ readonly path: string; write(name: string, text: string): Promise<string>; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'switchyard-cli-'));
  return {
    path,
    async write(name, text) {
      const file = join(path, name);
      await writeFile(file, text);
      return file;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** Several objects as one multi-document YAML text (JSON documents are YAML). */
export function documents(...objects: readonly object[]): string {
  return objects.map((object) => JSON.stringify(object, null, 2)).join('\n---\n') + '\n';
}

type Path = { readonly path: string; readonly pathType?: string; readonly service: string; readonly port?: number };

/** An Ingress routing `host` (or every host, when undefined) by the given paths. */
export function ingress(name: string, options: { namespace?: string; host?: string; paths?: readonly Path[]; defaultBackend?: string; ingressClassName?: string; creationTimestamp?: string; tls?: object[] } = {}) {
  const paths = (options.paths ?? []).map((p) => ({ path: p.path, pathType: p.pathType ?? 'Prefix', backend: { service: { name: p.service, port: { number: p.port ?? 80 } } } }));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: options.namespace ?? 'shop', ...(options.creationTimestamp ? { creationTimestamp: options.creationTimestamp } : {}) },
    spec: {
      ...(options.ingressClassName ? { ingressClassName: options.ingressClassName } : {}),
      ...(options.defaultBackend ? { defaultBackend: { service: { name: options.defaultBackend, port: { number: 80 } } } } : {}),
      ...(paths.length > 0 ? { rules: [{ ...(options.host ? { host: options.host } : {}), http: { paths } }] } : {}),
      ...(options.tls ? { tls: options.tls } : {}),
    },
  };
}

/** A Service with port 80 (named `http`) to `targetPort`. */
export function service(name: string, namespace = 'shop', targetPort = 8080) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ name: 'http', port: 80, targetPort }] } };
}

/** A Service of type ExternalName: port 80 goes to `externalName` at `targetPort`. */
export function externalNameService(name: string, externalName: string, targetPort: number, namespace = 'shop') {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { type: 'ExternalName', externalName, ports: [{ name: 'http', port: 80, targetPort }] } };
}

/** The EndpointSlice of a Service: every address at `port` (named `http`), ready. */
export function endpointSlice(service: string, port: number, addresses: readonly string[] = ['127.0.0.1'], namespace = 'shop') {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-1`, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port }],
    endpoints: addresses.map((address) => ({ addresses: [address], conditions: { ready: true } })),
  };
}

/** A Service and its slice, both at `port` on 127.0.0.1: a backend served by a test upstream. */
export function backend(name: string, port: number, namespace = 'shop') {
  return [service(name, namespace, port), endpointSlice(name, port, ['127.0.0.1'], namespace)];
}
