import type { Router } from '@switchyard/core';
import { createDnsDiscovery } from '@switchyard/dns';
import type { CertificateStore } from '@switchyard/tls';
import { startGateway, type Gateway, type GatewayListener, type GatewayMetrics, type GatewayOptions, type ListenAddress } from '@switchyard/fastify';
import { DEFAULT_LOG_LEVEL } from './access-log.js';
import { openAccessLog, type AccessLog } from './open-access-log.js';
import type { ConfigSource, ReloadResult, SourceContext } from './config-source.js';
import { CliError } from './errors.js';
import { startFileSource } from './file-source.js';
import { checkServeOptions, type ServeOptions } from './serve-options.js';
import { loadDefaultCertificate } from './tls-config.js';

/** A gateway `serve` started, with the sources that feed it. */
export interface RunningServer {
  readonly gateway: Gateway;
  /** `http://127.0.0.1:8080`, and the `https` and `admin` URLs when those listen, and one per Gateway listener port (`gateways`). */
  readonly urls: Gateway['urls'];
  /** The router the gateway matches with; its table is the one serving now. */
  readonly router: Router;
  /**
   * Reads the files again now and swaps in what they hold, as an edit does (a failed read
   * keeps the last good state: `applied: false`). With a cluster the watches are live, so it
   * reports the current state and reads nothing.
   */
  reload(): Promise<ReloadResult>;
  /** Resolves once the configuration is complete: at once for files, after the first full sync for a cluster. */
  ready(): Promise<void>;
  /** One line saying what is served, for the operator. */
  describe(): string;
  /** Drains the gateway (requests in flight finish, up to `drainTimeoutMs`), then stops the sources and writes out the log. */
  close(): Promise<void>;
}

/** What `serve` can be given besides its options: metrics shared by the workers of a cluster. */
export interface ServeInternals {
  readonly metrics?: GatewayMetrics;
  /** False in a worker that leaves the Gateway API status write-back (and the Lease) to the first worker. */
  readonly writesStatus?: boolean;
}

/**
 * What `switchyard serve` does, minus the command line and the workers: loads the
 * configuration (files, watched; or a cluster), starts the gateway on it, and keeps the two
 * in step. Diagnostics and reloads go to `options.report` (default: stderr).
 *
 * @throws CliError for options it cannot run (`SWY_CLI_FILE_UNREADABLE`, `SWY_CLI_BAD_ADDRESS`,
 *   ...), `SWY_CLI_MANIFESTS_INVALID` for files that do not parse, `SWY_CLI_KUBECONFIG_INVALID`,
 *   `SWY_CLI_LISTEN_FAILED` when an address cannot be bound.
 */
export async function serve(options: ServeOptions, internals: ServeInternals = {}): Promise<RunningServer> {
  checkServeOptions(options);
  const report = options.report ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const https = options.https;
  const defaultCertificate = https?.defaultCertificate === undefined ? undefined : await loadDefaultCertificate(https.defaultCertificate);
  const dns = createDnsDiscovery(options.dnsServers === undefined ? undefined : { servers: options.dnsServers });
  let gateway: Gateway | undefined;
  const context: SourceContext = {
    ingressClass: options.ingressClass,
    gatewayClass: options.gatewayClass,
    controllerName: options.controllerName,
    gateways: options.gateways,
    gatewayBinds: options.gatewayBinds,
    writesStatus: internals.writesStatus,
    balancing: options.balancing,
    externalNames: dns,
    allowExternalNames: options.allowExternalNames ?? [],
    tls: https === undefined ? undefined : { defaultCertificate },
    report,
    countError: (source, code) => gateway?.metrics.discoveryError(source, code),
    countKept: (source, count) => gateway?.metrics.objectsKeptAt(source, count),
  };
  // Opened first: a log file that cannot be written fails the start before anything listens.
  const accessLog = options.logger === undefined ? await openAccessLog(options.accessLog ?? 'stdout', options.logLevel ?? DEFAULT_LOG_LEVEL, report) : undefined;
  let source: ConfigSource;
  try {
    if (options.files !== undefined) {
      source = await startFileSource(options.files, options.watch ?? true, context);
      // Files are complete at once but for the DNS answers of ExternalName Services (bounded by
      // the DNS timeout): wait for them, so the first request finds its endpoints.
      await source.synced;
    } else {
      // Loaded for --kubernetes only: @kubernetes/client-node is about 30 MB of heap (its sources
      // and their code) that a gateway serving files would carry, and mark in every major GC.
      const { startKubernetesSource } = await import('./kubernetes-source.js');
      source = await startKubernetesSource(options.kubernetes === true ? {} : options.kubernetes!, context);
    }
  } catch (error) {
    await dns.close();
    await accessLog?.close();
    throw error;
  }
  try {
    gateway = await startGateway({
      router: source.router,
      ...(options.listen === undefined ? {} : { listen: options.listen }),
      ...(options.h2c === true ? { h2c: true } : {}),
      ...(https === undefined || source.certificates === undefined ? {} : { https: { listen: https.listen, certificates: source.certificates } }),
      ...(https?.publicPort === undefined ? {} : { publicHttpsPort: https.publicPort }),
      ...(options.redirectToHttps === undefined ? {} : { redirectToHttps: options.redirectToHttps }),
      ...(options.admin === undefined ? {} : { admin: options.admin }),
      ready: () => source.isReady(),
      status: () => source.status(),
      logger: accessLog?.logger ?? options.logger!,
      ...(options.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: options.drainTimeoutMs }),
      ...proxyOptions(options, accessLog),
      ...(internals.metrics === undefined ? {} : { metrics: internals.metrics }),
      ...(source.gatewayPorts === undefined
        ? {}
        : { gatewayListeners: source.gatewayPorts.served.map(({ port, listen, certificates }) => gatewayListener(port, listen, certificates)) }),
    });
  } catch (error) {
    await source.close();
    await dns.close();
    await accessLog?.close();
    throw listenFailed(error);
  }
  // Present from the start for a file source: no object kept at an old version yet.
  if (options.files !== undefined) gateway.metrics.objectsKeptAt('files', 0);
  const running = gateway;
  // A cluster's Gateway listener ports are known after the first sync: listen on them then.
  if (options.kubernetes !== undefined) {
    void source.synced.then(
      async () => {
        for (const { port, listen, certificates } of source.gatewayPorts?.served ?? []) {
          try {
            const added = await running.addGatewayListener(gatewayListener(port, listen, certificates));
            report(`switchyard: serving Gateway listener port ${port} at ${added.url}`);
          } catch (error) {
            const why = listenFailed(error);
            const message = why instanceof Error ? why.message : String(why);
            report(`switchyard: cannot serve Gateway listener port ${port}: ${message}`);
            source.gatewayPortFailed?.(port, `port ${port}: ${message}`);
          }
        }
      },
      () => undefined,
    );
  }
  let closing: Promise<void> | undefined;
  return {
    gateway: running,
    urls: running.urls,
    router: source.router,
    reload: () => source.reload(),
    ready: () => source.synced,
    describe: () => source.describe(),
    close: () =>
      (closing ??= (async () => {
        // The gateway drains first, on the state it has (and flushes the log); the sources stop
        // once nothing reads them; the log ends last, once nothing writes to it.
        await running.close();
        await source.close();
        await dns.close();
        await accessLog?.close();
      })()),
  };
}

/** The plugin's options `serve` sets: the request body timeout, and the per-request line's writer (none when the log would drop the line). */
function proxyOptions(options: ServeOptions, accessLog: AccessLog | undefined): { proxy: NonNullable<GatewayOptions['proxy']> } | Record<string, never> {
  const timeouts = options.requestBodyTimeoutMs === undefined ? {} : { timeouts: { requestBodyIdleMs: options.requestBodyTimeoutMs } };
  const lines = accessLog === undefined ? {} : accessLog.requestLines === undefined ? { logRequests: false } : { requestLines: accessLog.requestLines };
  const proxy = { ...timeouts, ...lines };
  return Object.keys(proxy).length === 0 ? {} : { proxy };
}

/** Errors of `listen` (EADDRINUSE, EADDRNOTAVAIL, EACCES) as one clear CLI error; others as they are. */
function listenFailed(error: unknown): unknown {
  const { code, address, port, syscall } = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (syscall !== 'listen' && syscall !== 'bind') return error;
  const where = address === undefined ? '' : ` ${address.includes(':') ? `[${address}]` : address}:${port ?? ''}`;
  const why = code === 'EADDRINUSE' ? 'the address is in use' : code === 'EADDRNOTAVAIL' ? 'no interface of this machine has that address' : code === 'EACCES' ? 'permission denied (ports below 1024 need privileges)' : String(code);
  return new CliError('SWY_CLI_LISTEN_FAILED', `cannot listen on${where}: ${why}`, { cause: error });
}

/**
 * A Gateway listener port for `startGateway`: over TLS with certificates (h2 by ALPN), else plain
 * and taking h2c with prior knowledge too: GRPCRoute's spec requires it of an HTTP listener, and
 * telling h2c from HTTP/1.1 costs a look at each connection's first bytes, not at each request.
 */
function gatewayListener(port: number, listen: ListenAddress, certificates: CertificateStore | undefined): GatewayListener {
  return { port, listen, ...(certificates === undefined ? { h2c: true } : { certificates }) };
}
