import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifestFiles } from '@switchyard/core/files';
import { serve, type GatewayBind, type ListenAddress } from '@switchyard/cli';
import { mintDemoCertificate, tlsSecretManifest } from './demo-certificate.js';
import { demoUpstreamsOf, startDemoUpstreams } from './demo-upstreams.js';

/** The GatewayClass the manifests' Gateway names, served as `--gateway-class switchyard`. */
export const GATEWAY_CLASS = 'switchyard';
/** The Gateway's listener ports, as `manifests/gateway.yaml` writes them. */
export const HTTP_PORT = 8080;
export const HTTPS_PORT = 8443;
/** The HTTPS listener's hostname, and the Secret it names (minted at start, never committed). */
const HTTPS_HOSTS = ['*.example.test'];
const TLS_SECRET = { name: 'edge-tls', namespace: 'demo' } as const;

/** Where each listener port listens by default: the port itself, on loopback only. */
const DEFAULT_BINDS: readonly GatewayBind[] = [
  { port: HTTP_PORT, listen: { host: '127.0.0.1', port: HTTP_PORT } },
  { port: HTTPS_PORT, listen: { host: '127.0.0.1', port: HTTPS_PORT } },
];

export interface GatewayApiExampleOptions {
  /** The manifests directory (GatewayClass, Gateway, HTTPRoutes, Services, EndpointSlices). */
  readonly manifests: string;
  /** Where the listener ports listen (`--bind 8080=127.0.0.1:0`); a port not given keeps its default. */
  readonly binds?: readonly GatewayBind[];
  /** The admin listener, or false. Default 127.0.0.1:9901. */
  readonly admin?: ListenAddress | false;
  /** Fastify's logger option for the gateway; default off, the example prints its own lines. */
  readonly logger?: boolean | object;
  /** Hears what serve reports: diagnostics, reloads. Default: stderr. */
  readonly report?: (line: string) => void;
  /** Hears every request a demo upstream receives (mirrored copies included): its Service, and what it received. */
  readonly onUpstreamRequest?: (service: string, request: string) => void;
}

export interface GatewayApiExample {
  /** The Gateway's listeners: `http` is port 8080's, `https` port 8443's, wherever they were bound. */
  readonly urls: { readonly http: string; readonly https: string; readonly admin?: string };
  /** The CA certificate (PEM file) that signed the HTTPS listener's certificate: curl's `--cacert`. */
  readonly caFile: string;
  /** The Secret manifest minted for this run, served beside the manifests directory. */
  readonly secretFile: string;
  close(): Promise<void>;
}

/**
 * Mints the HTTPS listener's certificate into a fresh temporary directory (a `kubernetes.io/tls`
 * Secret, and the CA for clients), starts the demo upstreams the EndpointSlices point at, then
 * serves the manifests and the Secret as `switchyard serve -f MANIFESTS -f SECRET
 * --gateway-class switchyard --bind 8080=... --bind 8443=...` does (static discovery, reload on edit).
 */
export async function startGatewayApiExample(options: GatewayApiExampleOptions): Promise<GatewayApiExample> {
  const loaded = await loadManifestFiles([options.manifests]);
  const runtime = await mkdtemp(join(tmpdir(), 'switchyard-gateway-api-'));
  // Undone in reverse: the gateway drains, then the upstreams stop, then the key is deleted.
  const cleanups: Array<() => Promise<void>> = [() => rm(runtime, { recursive: true, force: true })];
  let closing: Promise<void> | undefined;
  const cleanUp = (): Promise<void> =>
    (closing ??= (async () => {
      for (const cleanup of [...cleanups].reverse()) await cleanup();
    })());
  try {
    const certificate = await mintDemoCertificate(HTTPS_HOSTS);
    const secretFile = join(runtime, `${TLS_SECRET.name}.yaml`);
    const caFile = join(runtime, 'ca.pem');
    await writeFile(secretFile, tlsSecretManifest(TLS_SECRET.name, TLS_SECRET.namespace, certificate), { mode: 0o600 });
    await writeFile(caFile, certificate.caPem);

    const upstreams = await startDemoUpstreams(demoUpstreamsOf(loaded.objects), options.onUpstreamRequest ?? (() => {}));
    cleanups.push(() => upstreams.close());

    const given = new Map((options.binds ?? []).map((bind) => [bind.port, bind]));
    const server = await serve({
      files: [options.manifests, secretFile],
      gatewayClass: GATEWAY_CLASS,
      gatewayBinds: DEFAULT_BINDS.map((bind) => given.get(bind.port) ?? bind),
      // serve always opens its Ingress listener; these manifests hold no Ingress, so it gets a
      // free port and is not advertised (8080 is the Gateway's HTTP listener).
      listen: { host: '127.0.0.1', port: 0 },
      admin: options.admin ?? { host: '127.0.0.1', port: 9901 },
      logger: options.logger ?? false,
      ...(options.report ? { report: options.report } : {}),
    });
    cleanups.push(() => server.close());
    const urlOf = (port: number): string => {
      const url = server.urls.gateways?.find((gateway) => gateway.port === port)?.url;
      if (url === undefined) throw new Error(`the Gateway has no listener on port ${port}: check manifests/gateway.yaml`);
      return url;
    };
    return {
      urls: { http: urlOf(HTTP_PORT), https: urlOf(HTTPS_PORT), ...(server.urls.admin ? { admin: server.urls.admin } : {}) },
      caFile,
      secretFile,
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
