import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngressTLS, PathType } from '@switchyard/core';
import { afterAll, beforeAll } from 'vitest';
import {
  endpointSlice as sliceObject,
  httpPath,
  ingress as ingressObject,
  rule,
  service as serviceObject,
  serviceBackend,
  sliceEndpoint,
  startUpstream,
  TEST_NAMESPACE,
  type Upstream,
} from '@switchyard/test-utils';

// The manifests the CLI tests write, with the defaults they share (namespace `shop`, port `http`),
// built by test-utils' builders.

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

type Path = { readonly path: string; readonly pathType?: PathType; readonly service: string; readonly port?: number | string };

/** An Ingress routing `host` (or every host, when undefined) by the given paths; in `shop` unless told. */
export function ingress(name: string, options: { namespace?: string; host?: string; paths?: readonly Path[]; defaultBackend?: string; ingressClassName?: string; creationTimestamp?: string; tls?: IngressTLS[] } = {}) {
  const paths = (options.paths ?? []).map((p) => httpPath(p.path, p.pathType ?? 'Prefix', p.service, p.port ?? 80));
  return ingressObject(name, {
    namespace: options.namespace ?? TEST_NAMESPACE,
    ...(options.creationTimestamp ? { created: options.creationTimestamp } : {}),
    ...(options.ingressClassName ? { className: options.ingressClassName } : {}),
    ...(options.defaultBackend ? { defaultBackend: serviceBackend(options.defaultBackend) } : {}),
    ...(paths.length > 0 ? { rules: [rule(options.host, ...paths)] } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
  });
}

/** A Service with port 80 (named `http`) to `targetPort`. */
export function service(name: string, namespace = TEST_NAMESPACE, targetPort = 8080) {
  return serviceObject(name, [{ name: 'http', port: 80, targetPort }], { namespace });
}

/** A Service of type ExternalName: port 80 goes to `externalName` at `targetPort`. */
export function externalNameService(name: string, externalName: string, targetPort: number, namespace = TEST_NAMESPACE) {
  return serviceObject(name, [{ name: 'http', port: 80, targetPort }], { namespace, externalName });
}

/** The EndpointSlice of a Service: every address at `port` (named `http`), ready. */
export function endpointSlice(service: string, port: number, addresses: readonly string[] = ['127.0.0.1'], namespace = TEST_NAMESPACE) {
  return sliceObject(`${service}-1`, service, [{ name: 'http', port }], addresses.map((address) => sliceEndpoint(address, { ready: true })), { namespace });
}

/** A Service and its slice, both at `port` on 127.0.0.1: a backend served by a test upstream. */
export function backend(name: string, port: number, namespace = TEST_NAMESPACE) {
  return [service(name, namespace, port), endpointSlice(name, port, ['127.0.0.1'], namespace)];
}

/** What `routedUpstream` sets up for a test file. */
export interface RoutedUpstream {
  /** The directory holding `NAME.yaml`. */
  readonly dir: Awaited<ReturnType<typeof tempDir>>;
  readonly upstream: Upstream;
}

/**
 * For one test file: an upstream named `name`, and a temporary directory whose `NAME.yaml` routes
 * every path to it (an Ingress, its Service and EndpointSlice). Made before the file's tests,
 * removed after; read its fields inside tests.
 */
export function routedUpstream(name: string): RoutedUpstream {
  const made = {} as { dir: RoutedUpstream['dir']; upstream: Upstream };
  beforeAll(async () => {
    made.dir = await tempDir();
    made.upstream = await startUpstream(name);
    await made.dir.write(`${name}.yaml`, documents(ingress(name, { paths: [{ path: '/', service: name }] }), ...backend(name, made.upstream.port)));
  });
  afterAll(async () => {
    await made.upstream.close();
    await made.dir.remove();
  });
  return made;
}
