import { createExternalNameAllowList } from '@switchyard/core';
import { DEFAULT_ADMIN_LISTEN, DEFAULT_LISTEN } from '@switchyard/fastify';
import { LOG_LEVELS, type AccessLogTarget, type LogLevel } from './access-log.js';
import { CliError } from './errors.js';
import type { BalancingFlags } from './balancer-flag.js';
import type { GatewayBind } from './gateway-ports.js';
import type { ListenAddress } from './listen-address.js';
import type { GatewayAddressSource, LeaseServeOptions } from './status-write-back.js';

/** Where `serve` reads its configuration from a live cluster. */
export interface KubernetesServeOptions {
  /** A kubeconfig file; default: `$KUBECONFIG`, `~/.kube/config`, or the in-cluster service account. */
  readonly kubeconfig?: string;
  /** Namespaces to read Ingresses, Services, EndpointSlices and Secrets from; all when omitted. */
  readonly namespaces?: readonly string[];
  /**
   * The Lease the replicas elect the Gateway API status writer with (`--lease NAMESPACE/NAME`).
   * Omitted: nothing is written back (every replica would write), and a line says so.
   */
  readonly lease?: LeaseServeOptions;
  /** The Gateways' `status.addresses`: these (`--gateway-address`) or a LoadBalancer Service's (`--publish-service`). */
  readonly gatewayAddresses?: GatewayAddressSource;
}

/** Options of `serve` (and `switchyard serve`). Give `files` or `kubernetes`. */
export interface ServeOptions {
  /** Manifest files and directories, watched: an edit reloads them. */
  readonly files?: readonly string[];
  /** Serve a live cluster instead of files (`true` for the default kubeconfig and every namespace). */
  readonly kubernetes?: KubernetesServeOptions | true;
  /** The IngressClass served; every Ingress when omitted (see core's `compile`). */
  readonly ingressClass?: string;
  /**
   * The GatewayClass served (files only): its Gateways' listener ports are listened on beside
   * `listen`, each routing by its listeners and their HTTPRoutes. Omitted: Gateway API objects
   * in the files are not served (one line says so).
   */
  readonly gatewayClass?: string;
  /** From a cluster: serve the GatewayClasses whose `spec.controllerName` is this one. Default `switchyard.dev/gateway-controller`. */
  readonly controllerName?: string;
  /** Only these Gateways of the class (`namespace/name`). */
  readonly gateways?: readonly string[];
  /**
   * Where each Gateway listener port listens (`--bind 80=0.0.0.0:8080`). A port without one
   * listens on itself on every address; below 1024 it needs one.
   */
  readonly gatewayBinds?: readonly GatewayBind[];
  /** Plain HTTP. Default: the gateway's, 127.0.0.1:8080. */
  readonly listen?: ListenAddress;
  /**
   * HTTPS with SNI: certificates from the Secrets that Ingress `spec.tls` entries name, and an
   * optional default certificate from PEM files for names no Secret covers.
   */
  readonly https?: {
    readonly listen: ListenAddress;
    readonly defaultCertificate?: { readonly certFile: string; readonly keyFile: string };
    /** The HTTPS port clients reach (a load balancer's 443 in front of 8443), for the HTTP→HTTPS redirect. Default: the listener's. */
    readonly publicPort?: number;
  };
  /** Plain-HTTP requests for TLS hosts redirect to HTTPS with this status, or not at all (false). Default 308. */
  readonly redirectToHttps?: false | 301 | 302 | 307 | 308;
  /** Balancing: a default policy and overrides by backend key (core's `BalancerPolicy`). Default round robin. */
  readonly balancing?: BalancingFlags;
  /** The admin listener (/healthz, /readyz, /metrics, /routes, /explain), or false for none. Default: the gateway's, 127.0.0.1:9901. */
  readonly admin?: ListenAddress | false;
  /** DNS servers for ExternalName Services (`10.0.0.10`, `127.0.0.1:5353`); default: the system's. */
  readonly dnsServers?: readonly string[];
  /**
   * The ExternalName Services resolved, by `spec.externalName` (`--allow-external-name`): exact
   * names, `*.example.com`, `*` for all. None by default: the others answer 503
   * `SWY_PROXY_EXTERNAL_NAME_DENIED`. Addresses in the link-local ranges are never connected to.
   */
  readonly allowExternalNames?: readonly string[];
  /** Reload when the files change. Default true. */
  readonly watch?: boolean;
  /**
   * Where the gateway's log goes (`--access-log`): one JSON line per request at info, and its
   * warnings and errors; `off` drops the per-request line. Written through pino's buffered
   * destination, flushed by `close()`. Default `'stdout'`. Not with `logger`.
   */
  readonly accessLog?: AccessLogTarget;
  /** The level of the gateway's log (`--log-level`); above `info` the per-request line is dropped too. Default `'info'`. Not with `logger`. */
  readonly logLevel?: LogLevel;
  /** Fastify's logger option for the gateway (pino), in place of `accessLog` and `logLevel`: `false` for no log at all. */
  readonly logger?: boolean | object;
  /**
   * How long a request body may stay silent before the gateway answers 408 and frees the
   * upstream connection (`--request-body-timeout`). Default: the plugin's, 10 s.
   */
  readonly requestBodyTimeoutMs?: number;
  /** How long `close()` lets requests in flight finish. Default: the gateway's (10 s). */
  readonly drainTimeoutMs?: number;
  /**
   * The plain Ingress listener (`listen`) also takes HTTP/2 with prior knowledge (h2c) next to
   * HTTP/1.1 (`--h2c`). Plain Gateway listener ports always do (the Gateway API requires h2c
   * with prior knowledge of an HTTP listener that serves GRPCRoutes), and HTTPS listeners
   * negotiate h2 by ALPN, whatever this says. Default false.
   */
  readonly h2c?: boolean;
  /**
   * Hears what the CLI has to say besides the gateway's logs: diagnostics, reloads, sync
   * state. One line each, no trailing newline. Default: a line on stderr.
   */
  readonly report?: (line: string) => void;
}

/**
 * Checks the options of a programmatic `serve()` (the command line checks its flags first).
 *
 * @throws CliError `SWY_CLI_MISSING_OPTION`, `SWY_CLI_USAGE`, `SWY_CLI_BAD_ADDRESS` or
 *   `SWY_CLI_BAD_VALUE` naming the option in `field`.
 */
export function checkServeOptions(options: ServeOptions): void {
  if (typeof options !== 'object' || options === null) throw new CliError('SWY_CLI_BAD_VALUE', 'serve(options): options must be an object', { field: 'options' });
  const hasFiles = options.files !== undefined;
  if (hasFiles && options.kubernetes !== undefined) throw new CliError('SWY_CLI_USAGE', 'serve(options): give files or kubernetes, not both', { field: 'kubernetes' });
  if (!hasFiles && options.kubernetes === undefined) throw new CliError('SWY_CLI_MISSING_OPTION', 'serve(options): give files (manifest paths) or kubernetes', { field: 'files' });
  if (hasFiles && (!Array.isArray(options.files) || options.files.length === 0 || !options.files.every((f) => typeof f === 'string' && f !== ''))) {
    throw new CliError('SWY_CLI_BAD_VALUE', 'serve(options): files must be a non-empty array of paths', { field: 'files' });
  }
  if (options.ingressClass !== undefined && (typeof options.ingressClass !== 'string' || options.ingressClass === '')) {
    throw new CliError('SWY_CLI_BAD_VALUE', 'serve(options): ingressClass must be a non-empty string', { field: 'ingressClass' });
  }
  if (options.gatewayClass !== undefined && (typeof options.gatewayClass !== 'string' || options.gatewayClass === '')) {
    throw new CliError('SWY_CLI_BAD_VALUE', 'serve(options): gatewayClass must be a non-empty string', { field: 'gatewayClass' });
  }
  // From a cluster the Gateway API is always served (our controller's classes); from files it takes a class.
  if (hasFiles && (options.gateways !== undefined || options.gatewayBinds !== undefined) && options.gatewayClass === undefined) {
    throw new CliError('SWY_CLI_USAGE', 'serve(options): gateways and gatewayBinds go with gatewayClass', { field: options.gateways !== undefined ? 'gateways' : 'gatewayBinds' });
  }
  if (options.gatewayBinds !== undefined) {
    if (!Array.isArray(options.gatewayBinds)) throw new CliError('SWY_CLI_BAD_VALUE', 'serve(options): gatewayBinds must be an array of { port, listen }', { field: 'gatewayBinds' });
    options.gatewayBinds.forEach((bind, i) => {
      if (!Number.isInteger(bind?.port) || bind.port < 1 || bind.port > 65_535) throw new CliError('SWY_CLI_BAD_VALUE', `serve(options): gatewayBinds[${i}].port must be a port from 1 to 65535`, { field: `gatewayBinds[${i}].port` });
      checkAddress(bind.listen, `gatewayBinds[${i}].listen`);
    });
    checkBindsFree(options);
  }
  if (options.listen !== undefined) checkAddress(options.listen, 'listen');
  if (options.https !== undefined) checkAddress(options.https?.listen, 'https.listen');
  if (options.admin !== undefined && options.admin !== false) checkAddress(options.admin, 'admin');
  if (options.dnsServers !== undefined && (!Array.isArray(options.dnsServers) || options.dnsServers.length === 0)) {
    throw new CliError('SWY_CLI_BAD_VALUE', 'serve(options): dnsServers must be a non-empty array', { field: 'dnsServers' });
  }
  if (options.allowExternalNames !== undefined) {
    try {
      createExternalNameAllowList(options.allowExternalNames);
    } catch (error) {
      const field = (error as { field?: string }).field ?? 'allowExternalNames';
      throw new CliError('SWY_CLI_BAD_VALUE', `serve(options): ${(error as Error).message}`, { field, cause: error });
    }
  }
  if (options.requestBodyTimeoutMs !== undefined && !(Number.isInteger(options.requestBodyTimeoutMs) && options.requestBodyTimeoutMs >= 1)) {
    throw new CliError('SWY_CLI_BAD_VALUE', 'serve(options): requestBodyTimeoutMs must be a whole number of milliseconds ≥ 1', { field: 'requestBodyTimeoutMs' });
  }
  if (options.h2c !== undefined && typeof options.h2c !== 'boolean') throw new CliError('SWY_CLI_BAD_VALUE', 'serve(options): h2c must be a boolean', { field: 'h2c' });
  checkLogOptions(options);
  if (options.report !== undefined && typeof options.report !== 'function') throw new CliError('SWY_CLI_BAD_VALUE', 'serve(options): report must be a function', { field: 'report' });
}

/**
 * A Gateway listener port bound to the address another listener of the gateway takes (the
 * Ingress listener's default 127.0.0.1:8080 most of all) would fail to listen with only "address
 * in use": say which two listeners want it, and how to part them.
 */
function checkBindsFree(options: ServeOptions): void {
  const taken: Array<{ readonly address: ListenAddress; readonly what: string }> = [
    { address: options.listen ?? DEFAULT_LISTEN, what: `the Ingress listener (--listen${options.listen === undefined ? `, default ${DEFAULT_LISTEN.host}:${DEFAULT_LISTEN.port}` : ''})` },
    ...(options.https === undefined ? [] : [{ address: options.https.listen, what: 'the HTTPS Ingress listener (--tls-listen)' }]),
    ...(options.admin === false ? [] : [{ address: options.admin ?? DEFAULT_ADMIN_LISTEN, what: `the admin listener (--admin${options.admin === undefined ? `, default ${DEFAULT_ADMIN_LISTEN.host}:${DEFAULT_ADMIN_LISTEN.port}` : ''})` }]),
  ];
  (options.gatewayBinds ?? []).forEach((bind, i) => {
    if (bind.listen.port === 0) return;
    const clash = taken.find(({ address }) => address.port === bind.listen.port && address.host === bind.listen.host);
    if (clash === undefined) return;
    throw new CliError(
      'SWY_CLI_USAGE',
      `--bind ${bind.port}=${bind.listen.host}:${bind.listen.port} is also the address of ${clash.what}: give one of them another address (127.0.0.1:0 picks a free port)`,
      { field: `gatewayBinds[${i}]` },
    );
  });
}

function checkAddress(address: ListenAddress | undefined, field: string): void {
  const ok = typeof address === 'object' && address !== null && typeof address.host === 'string' && address.host !== '' && Number.isInteger(address.port) && address.port >= 0 && address.port <= 65_535;
  if (!ok) throw new CliError('SWY_CLI_BAD_ADDRESS', `serve(options): ${field} must be { host, port } with a port from 0 to 65535`, { field });
}

/** `accessLog` and `logLevel`, or Fastify's own `logger`: one way to say where the log goes. */
function checkLogOptions(options: ServeOptions): void {
  const { accessLog, logLevel } = options;
  if (options.logger !== undefined && (accessLog !== undefined || logLevel !== undefined)) {
    throw new CliError('SWY_CLI_USAGE', 'serve(options): give logger, or accessLog and logLevel, not both', { field: accessLog !== undefined ? 'accessLog' : 'logLevel' });
  }
  const target = accessLog === 'stdout' || accessLog === 'stderr' || accessLog === 'off' || (typeof accessLog === 'object' && accessLog !== null && typeof accessLog.file === 'string' && accessLog.file !== '');
  if (accessLog !== undefined && !target) throw new CliError('SWY_CLI_BAD_VALUE', "serve(options): accessLog must be 'stdout', 'stderr', 'off' or { file }", { field: 'accessLog' });
  if (logLevel !== undefined && !LOG_LEVELS.includes(logLevel)) throw new CliError('SWY_CLI_BAD_VALUE', `serve(options): logLevel must be one of ${LOG_LEVELS.join(', ')}`, { field: 'logLevel' });
}
