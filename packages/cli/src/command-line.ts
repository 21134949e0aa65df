import { isIP } from 'node:net';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createExternalNameAllowList, isSwitchyardError } from '@switchyard/core';
import { parseAccessLog, parseLogLevel } from './access-log.js';
import type { CheckOptions } from './check.js';
import { parseBalancerFlags } from './balancer-flag.js';
import { CliError } from './errors.js';
import type { ExplainOptions, GatewayExplainOptions } from './explain.js';
import { parseDnsServer, parseListenAddress, type ListenAddress } from './listen-address.js';
import type { ServeOptions } from './serve-options.js';
import type { GatewayAddressSource, LeaseServeOptions } from './status-write-back.js';

/** The commands of `switchyard`. */
export const COMMANDS = ['serve', 'check', 'explain'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** Upper bound of `--workers`: far above any machine's cores, low enough to catch a typo. */
export const MAX_WORKERS = 256;

/** A command line, read and checked: what `main` runs. */
export type ParsedCommandLine =
  | { readonly command: 'help'; readonly topic: CommandName | undefined }
  | { readonly command: 'version' }
  | { readonly command: 'check'; readonly options: CheckOptions; readonly json: boolean }
  | { readonly command: 'explain'; readonly options: ExplainOptions & Partial<Pick<GatewayExplainOptions, 'port' | 'method' | 'headers'>>; readonly json: boolean }
  | { readonly command: 'serve'; readonly options: ServeOptions; readonly workers: number };

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON = {
  file: { type: 'string', short: 'f', multiple: true },
  'ingress-class': { type: 'string' },
  'gateway-class': { type: 'string' },
  'controller-name': { type: 'string' },
  gateway: { type: 'string', multiple: true },
  'allow-external-name': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

const CHECK = { ...COMMON, strict: { type: 'boolean' }, json: { type: 'boolean' } } as const satisfies Options;
const EXPLAIN = {
  ...COMMON,
  host: { type: 'string' },
  path: { type: 'string' },
  port: { type: 'string' },
  method: { type: 'string' },
  header: { type: 'string', multiple: true },
  grpc: { type: 'boolean' },
  'grpc-service': { type: 'string' },
  'grpc-method': { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies Options;
const SERVE = {
  ...COMMON,
  listen: { type: 'string' },
  'tls-listen': { type: 'string' },
  h2c: { type: 'boolean' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'public-https-port': { type: 'string' },
  'https-redirect': { type: 'string' },
  balancer: { type: 'string', multiple: true },
  admin: { type: 'string' },
  'no-admin': { type: 'boolean' },
  'dns-servers': { type: 'string', multiple: true },
  'request-body-timeout': { type: 'string' },
  'access-log': { type: 'string' },
  'log-level': { type: 'string' },
  workers: { type: 'string' },
  kubernetes: { type: 'boolean' },
  kubeconfig: { type: 'string' },
  namespace: { type: 'string', multiple: true },
  bind: { type: 'string', multiple: true },
  lease: { type: 'string' },
  'lease-identity': { type: 'string' },
  'lease-duration': { type: 'string' },
  'lease-renew-deadline': { type: 'string' },
  'lease-retry-period': { type: 'string' },
  'gateway-address': { type: 'string', multiple: true },
  'publish-service': { type: 'string' },
} as const satisfies Options;

/**
 * Reads `switchyard <command> [flags]`. Nothing is opened or started here: files are checked
 * when the command runs.
 *
 * @throws CliError with a usage code (`SWY_CLI_UNKNOWN_COMMAND`, `SWY_CLI_USAGE`,
 *   `SWY_CLI_MISSING_OPTION`, `SWY_CLI_BAD_ADDRESS`, `SWY_CLI_BAD_VALUE`), `field` naming the flag.
 */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const [first, ...rest] = argv;
  if (first === undefined) throw new CliError('SWY_CLI_UNKNOWN_COMMAND', `no command given: use one of ${COMMANDS.join(', ')} (switchyard --help)`);
  if (first === '--help' || first === '-h') return { command: 'help', topic: undefined };
  if (first === '--version' || first === '-v') return { command: 'version' };
  if (first === 'help') return { command: 'help', topic: rest[0] === undefined ? undefined : commandName(rest[0]) };
  const command = commandName(first);
  switch (command) {
    case 'check': {
      const values = parse(rest, CHECK);
      if (values.help) return { command: 'help', topic: command };
      const scope = { ...ingressClass(values['ingress-class']), ...gatewayScope(values['gateway-class'], values.gateway) };
      return { command, json: values.json ?? false, options: { files: files(values.file, command), ...scope, ...allowExternalNames(values['allow-external-name']), ...(values.strict ? { strict: true } : {}) } };
    }
    case 'explain': {
      const values = parse(rest, EXPLAIN);
      if (values.help) return { command: 'help', topic: command };
      if (values.host === undefined) throw missing('--host', 'explain needs --host HOST (the request Host)');
      const path = grpcPath(values) ?? values.path;
      if (path === undefined) throw missing('--path', 'explain needs --path PATH (the request path), or --grpc-service and --grpc-method');
      const scope = { ...ingressClass(values['ingress-class']), ...gatewayScope(values['gateway-class'], values.gateway) };
      return { command, json: values.json ?? false, options: { files: files(values.file, command), host: values.host, path, ...scope, ...allowExternalNames(values['allow-external-name']), ...gatewayRequest(values) } };
    }
    case 'serve': {
      const values = parse(rest, SERVE);
      if (values.help) return { command: 'help', topic: command };
      return { command, workers: workers(values.workers), options: { ...serveOptions(values), ...logOptions(values) } };
    }
  }
}

function serveOptions(values: ReturnType<typeof parse<typeof SERVE>>): ServeOptions {
  if (values.kubernetes && values.file !== undefined) throw usage('--kubernetes', 'give -f FILE or --kubernetes, not both');
  if (!values.kubernetes && values.kubeconfig !== undefined) throw usage('--kubeconfig', '--kubeconfig goes with --kubernetes');
  if (!values.kubernetes && values.namespace !== undefined) throw usage('--namespace', '--namespace goes with --kubernetes');
  if (values.admin !== undefined && values['no-admin']) throw usage('--no-admin', 'give --admin ADDRESS or --no-admin, not both');
  if (!values.kubernetes && values.bind !== undefined && values['gateway-class'] === undefined) throw usage('--bind', '--bind PORT=HOST:PORT places a Gateway listener port: from files it goes with --gateway-class');
  if (!values.kubernetes && values['controller-name'] !== undefined) throw usage('--controller-name', '--controller-name picks the GatewayClasses of a cluster: it goes with --kubernetes');
  for (const flag of ['lease', 'gateway-address', 'publish-service'] as const) {
    if (!values.kubernetes && values[flag] !== undefined) throw usage(`--${flag}`, `--${flag} is about the Gateway API status written to a cluster: it goes with --kubernetes`);
  }
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
    throw usage(values['tls-cert'] === undefined ? '--tls-cert' : '--tls-key', '--tls-cert and --tls-key go together');
  }
  if (values['tls-cert'] !== undefined && values['tls-listen'] === undefined) throw usage('--tls-listen', '--tls-cert needs --tls-listen HOST:PORT to serve it on');
  if (values['public-https-port'] !== undefined && values['tls-listen'] === undefined) throw usage('--tls-listen', '--public-https-port goes with --tls-listen');
  // Values first, then what is missing: `--listen nope` is reported as such, whatever else is absent.
  const listen = values.listen === undefined ? {} : { listen: parseListenAddress(values.listen, '--listen') };
  const tlsListen = values['tls-listen'] === undefined ? undefined : parseListenAddress(values['tls-listen'], '--tls-listen');
  const admin = values['no-admin'] ? { admin: false as const } : values.admin === undefined ? {} : { admin: parseListenAddress(values.admin, '--admin') };
  const dns = values['dns-servers'] === undefined ? {} : { dnsServers: dnsServers(values['dns-servers']) };
  const scope = { ...ingressClass(values['ingress-class']), ...gatewayScope(values['gateway-class'], values.gateway) };
  const binds = values.bind === undefined ? {} : { gatewayBinds: parseBinds(values.bind) };
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  const https =
    tlsListen === undefined
      ? {}
      : {
          https: {
            listen: tlsListen,
            ...(certFile === undefined || keyFile === undefined ? {} : { defaultCertificate: { certFile, keyFile } }),
            ...(values['public-https-port'] === undefined ? {} : { publicPort: port(values['public-https-port'], '--public-https-port') }),
          },
        };
  const source: Pick<ServeOptions, 'files' | 'kubernetes'> = values.kubernetes
    ? {
        kubernetes: {
          ...(values.kubeconfig === undefined ? {} : { kubeconfig: nonEmpty(values.kubeconfig, '--kubeconfig') }),
          ...(values.namespace === undefined ? {} : { namespaces: values.namespace.map((ns) => nonEmpty(ns, '--namespace')) }),
          ...leaseOptions(values),
          ...gatewayAddresses(values),
        },
      }
    : { files: files(values.file, 'serve', ' (or --kubernetes)') };
  const balancing = values.balancer === undefined ? {} : { balancing: parseBalancerFlags(values.balancer) };
  const redirect = values['https-redirect'] === undefined ? {} : { redirectToHttps: redirectCode(values['https-redirect']) };
  const bodyTimeout = values['request-body-timeout'] === undefined ? {} : { requestBodyTimeoutMs: seconds(values['request-body-timeout'], '--request-body-timeout') };
  const controller = values['controller-name'] === undefined ? {} : { controllerName: nonEmpty(values['controller-name'], '--controller-name') };
  const h2c = values.h2c === true ? { h2c: true } : {};
  const external = allowExternalNames(values['allow-external-name']);
  return { ...source, ...scope, ...controller, ...binds, ...listen, ...h2c, ...https, ...redirect, ...admin, ...dns, ...external, ...balancing, ...bodyTimeout };
}

/** `--access-log stdout|stderr|off|FILE` and `--log-level LEVEL`: where the gateway's log goes, and from which level. */
function logOptions(values: ReturnType<typeof parse<typeof SERVE>>): Pick<ServeOptions, 'accessLog' | 'logLevel'> {
  return {
    ...(values['access-log'] === undefined ? {} : { accessLog: parseAccessLog(values['access-log']) }),
    ...(values['log-level'] === undefined ? {} : { logLevel: parseLogLevel(values['log-level']) }),
  };
}

/** `--bind PORT=HOST:PORT`, repeatable: where each Gateway listener port listens. */
export function parseBinds(values: readonly string[]): Array<{ port: number; listen: ListenAddress }> {
  const binds: Array<{ port: number; listen: ListenAddress }> = [];
  for (const value of values) {
    const equals = value.indexOf('=');
    if (equals <= 0) throw new CliError('SWY_CLI_BAD_VALUE', `--bind ${JSON.stringify(value)}: give LISTENER_PORT=HOST:PORT (80=0.0.0.0:8080, 443=127.0.0.1:0)`, { field: '--bind' });
    const listenerPort = port(value.slice(0, equals), '--bind');
    if (binds.some((bind) => bind.port === listenerPort)) throw usage('--bind', `--bind gives port ${listenerPort} twice`);
    binds.push({ port: listenerPort, listen: parseListenAddress(value.slice(equals + 1), '--bind') });
  }
  return binds;
}

/** `--lease NAMESPACE/NAME` and its identity and timings (client-go's names, in seconds). */
function leaseOptions(values: ReturnType<typeof parse<typeof SERVE>>): { lease?: LeaseServeOptions } {
  const timingFlags = ['lease-identity', 'lease-duration', 'lease-renew-deadline', 'lease-retry-period'] as const;
  if (values.lease === undefined) {
    const stray = timingFlags.find((flag) => values[flag] !== undefined);
    if (stray !== undefined) throw usage(`--${stray}`, `--${stray} goes with --lease NAMESPACE/NAME`);
    return {};
  }
  const [namespace, name] = objectName(values.lease, '--lease', 'a Lease (switchyard/switchyard-status)');
  const duration = values['lease-duration'];
  if (duration !== undefined && !/^[1-9]\d{0,3}$/.test(duration)) {
    throw new CliError('SWY_CLI_BAD_VALUE', `--lease-duration ${JSON.stringify(duration)}: give whole seconds from 1 to 9999 (the Lease stores seconds; 15)`, { field: '--lease-duration' });
  }
  return {
    lease: {
      namespace,
      name,
      ...(values['lease-identity'] === undefined ? {} : { identity: nonEmpty(values['lease-identity'], '--lease-identity') }),
      ...(duration === undefined ? {} : { leaseDurationSeconds: Number(duration) }),
      ...(values['lease-renew-deadline'] === undefined ? {} : { renewDeadlineMs: seconds(values['lease-renew-deadline'], '--lease-renew-deadline') }),
      ...(values['lease-retry-period'] === undefined ? {} : { retryPeriodMs: seconds(values['lease-retry-period'], '--lease-retry-period') }),
    },
  };
}

/** `--gateway-address ADDRESS` (repeatable) or `--publish-service NAMESPACE/NAME`: the Gateways' `status.addresses`. */
function gatewayAddresses(values: ReturnType<typeof parse<typeof SERVE>>): { gatewayAddresses?: GatewayAddressSource } {
  const given = values['gateway-address'];
  const service = values['publish-service'];
  if (given !== undefined && service !== undefined) throw usage('--publish-service', 'give --gateway-address or --publish-service, not both');
  if (service !== undefined) {
    const [namespace] = objectName(service, '--publish-service', 'a Service of type LoadBalancer (switchyard/switchyard)');
    // The Service is read from the watch of the namespaces served: one outside them would never be seen.
    if (values.namespace !== undefined && !values.namespace.includes(namespace)) {
      throw usage('--publish-service', `--publish-service ${service} is in namespace ${namespace}, which --namespace leaves out: add --namespace ${namespace}`);
    }
    return { gatewayAddresses: { service } };
  }
  if (given === undefined) return {};
  const addresses = given.map((address) => {
    if (isIP(address) === 0 && !/^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(address)) {
      throw new CliError('SWY_CLI_BAD_VALUE', `--gateway-address ${JSON.stringify(address)}: give an IP address or a DNS name (203.0.113.7, gw.example.com)`, { field: '--gateway-address' });
    }
    return address;
  });
  return { gatewayAddresses: { addresses } };
}

/** `NAMESPACE/NAME` of a namespaced object. */
function objectName(value: string, flag: string, what: string): [string, string] {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(value)) {
    throw new CliError('SWY_CLI_BAD_VALUE', `${flag} ${JSON.stringify(value)}: give NAMESPACE/NAME of ${what}`, { field: flag });
  }
  const slash = value.indexOf('/');
  return [value.slice(0, slash), value.slice(slash + 1)];
}

/** `--gateway-class NAME` and `--gateway NS/NAME` (repeatable, narrowing the class). */
function gatewayScope(gatewayClass: string | undefined, gateways: string[] | undefined): { gatewayClass?: string; gateways?: string[] } {
  if (gateways !== undefined && gatewayClass === undefined) throw usage('--gateway', '--gateway NS/NAME narrows --gateway-class NAME: give the class too');
  if (gatewayClass === undefined) return {};
  const names = gateways?.map((name) => {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(name)) {
      throw new CliError('SWY_CLI_BAD_VALUE', `--gateway ${JSON.stringify(name)}: give NAMESPACE/NAME of a Gateway (infra/public)`, { field: '--gateway' });
    }
    return name;
  });
  return { gatewayClass: nonEmpty(gatewayClass, '--gateway-class'), ...(names === undefined ? {} : { gateways: names }) };
}

/** True when explain asks about a gRPC call (`--grpc`, or `--grpc-service`/`--grpc-method`). */
function isGrpcCall(values: ReturnType<typeof parse<typeof EXPLAIN>>): boolean {
  return values.grpc === true || values['grpc-service'] !== undefined || values['grpc-method'] !== undefined;
}

/** `--grpc-service S --grpc-method M`: the call's path `/S/M` (both are needed; not with --path). */
function grpcPath(values: ReturnType<typeof parse<typeof EXPLAIN>>): string | undefined {
  const service = values['grpc-service'];
  const method = values['grpc-method'];
  if (service === undefined && method === undefined) return undefined;
  if (values.path !== undefined) throw usage('--path', 'give --path or --grpc-service and --grpc-method, not both');
  if (service === undefined || method === undefined) throw usage(service === undefined ? '--grpc-service' : '--grpc-method', 'a gRPC call names a service and a method: give both --grpc-service and --grpc-method');
  for (const [flag, value] of [['--grpc-service', service], ['--grpc-method', method]] as const) {
    if (value === '' || value.includes('/')) throw new CliError('SWY_CLI_BAD_VALUE', `${flag} ${JSON.stringify(value)}: give a name without '/' (pkg.v1.Service, Method)`, { field: flag });
  }
  return `/${service}/${method}`;
}

/**
 * `--port`, `--method`, `--header NAME=VALUE` of explain: a request to a Gateway listener port.
 * A gRPC call (`--grpc`, `--grpc-service`, `--grpc-method`) is a POST with content-type
 * `application/grpc` unless `--method` or `--header content-type=...` say otherwise.
 */
function gatewayRequest(values: ReturnType<typeof parse<typeof EXPLAIN>>): { port?: number; method?: string; headers?: Record<string, string | string[]> } {
  if (values.port === undefined) {
    if (values.method !== undefined || values.header !== undefined) throw usage(values.method !== undefined ? '--method' : '--header', '--method and --header go with --port (a Gateway listener port)');
    if (isGrpcCall(values)) throw usage(values.grpc === true ? '--grpc' : '--grpc-service', 'a gRPC call is explained on a Gateway listener port: give --port');
    return {};
  }
  if (values['gateway-class'] === undefined) throw usage('--port', '--port explains a request to a Gateway listener port: it goes with --gateway-class');
  const method = values.method;
  if (method !== undefined && !/^[A-Za-z]+$/.test(method)) throw new CliError('SWY_CLI_BAD_VALUE', `--method ${JSON.stringify(method)}: give an HTTP method (GET, POST, ...)`, { field: '--method' });
  const headers: Record<string, string | string[]> = {};
  for (const header of values.header ?? []) {
    const equals = header.indexOf('=');
    const name = header.slice(0, Math.max(equals, 0)).toLowerCase();
    if (equals <= 0 || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) {
      throw new CliError('SWY_CLI_BAD_VALUE', `--header ${JSON.stringify(header)}: give NAME=VALUE (x-env=canary)`, { field: '--header' });
    }
    const value = header.slice(equals + 1);
    const previous = headers[name];
    headers[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  if (isGrpcCall(values)) {
    headers['content-type'] ??= 'application/grpc';
    return { port: port(values.port, '--port'), method: (method ?? 'POST').toUpperCase(), headers };
  }
  return { port: port(values.port, '--port'), ...(method === undefined ? {} : { method: method.toUpperCase() }), ...(values.header === undefined ? {} : { headers }) };
}

function redirectCode(value: string): false | 301 | 302 | 307 | 308 {
  if (value === 'off') return false;
  const code = Number(value);
  if (code === 301 || code === 302 || code === 307 || code === 308) return code;
  throw new CliError('SWY_CLI_BAD_VALUE', `--https-redirect ${JSON.stringify(value)}: give 301, 302, 307, 308 or off`, { field: '--https-redirect' });
}

/** A duration in seconds (decimals allowed, up to an hour), as milliseconds. */
function seconds(value: string, flag: string): number {
  const ms = /^\d+(\.\d{1,3})?$/.test(value) ? Math.round(Number(value) * 1000) : NaN;
  if (!(ms >= 1 && ms <= 3_600_000)) throw new CliError('SWY_CLI_BAD_VALUE', `${flag} ${JSON.stringify(value)}: give seconds from 0.001 to 3600 (10, 2.5)`, { field: flag });
  return ms;
}

function port(value: string, flag: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > 65_535) throw new CliError('SWY_CLI_BAD_VALUE', `${flag} ${JSON.stringify(value)}: give a port from 1 to 65535`, { field: flag });
  return number;
}

function parse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // node:util says what is wrong (unknown option, missing value, stray argument) in its first line.
    throw new CliError('SWY_CLI_USAGE', String((error as Error).message).split('\n', 1)[0]!, { cause: error });
  }
}

function commandName(value: string): CommandName {
  if ((COMMANDS as readonly string[]).includes(value)) return value as CommandName;
  throw new CliError('SWY_CLI_UNKNOWN_COMMAND', `unknown command ${JSON.stringify(value)}: use one of ${COMMANDS.join(', ')} (switchyard --help)`);
}

function files(value: string[] | undefined, command: CommandName, alternative = ''): string[] {
  if (value === undefined || value.length === 0) throw missing('-f', `${command} needs -f FILE|DIR${alternative}`);
  return value.map((file) => nonEmpty(file, '-f'));
}

function ingressClass(value: string | undefined): { ingressClass?: string } {
  return value === undefined ? {} : { ingressClass: nonEmpty(value, '--ingress-class') };
}

function workers(value: string | undefined): number {
  if (value === undefined) return 1;
  const count = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(count >= 1 && count <= MAX_WORKERS)) {
    throw new CliError('SWY_CLI_BAD_VALUE', `--workers ${JSON.stringify(value)}: expected a whole number from 1 to ${MAX_WORKERS}`, { field: '--workers' });
  }
  return count;
}

/** `--allow-external-name PATTERN` (repeatable): the ExternalName Services resolved, checked here as discovery reads them. */
function allowExternalNames(values: string[] | undefined): { allowExternalNames?: string[] } {
  if (values === undefined) return {};
  for (const value of values) {
    try {
      createExternalNameAllowList([value]);
    } catch (error) {
      if (!isSwitchyardError(error, 'SWY_DISCOVERY_INVALID_OPTIONS')) throw error;
      throw new CliError('SWY_CLI_BAD_VALUE', `--allow-external-name ${JSON.stringify(value)}: give a DNS name (api.example.com), *.DOMAIN for every name under it, or * for all`, { field: '--allow-external-name', cause: error });
    }
  }
  return { allowExternalNames: values };
}

function dnsServers(values: readonly string[]): string[] {
  const servers = values.flatMap((value) => value.split(',')).map((server) => server.trim());
  return servers.map((server) => parseDnsServer(server, '--dns-servers'));
}

function nonEmpty(value: string, field: string): string {
  if (value.trim() === '') throw new CliError('SWY_CLI_BAD_VALUE', `${field} needs a value that is not empty`, { field });
  return value;
}

function usage(field: string, message: string): CliError {
  return new CliError('SWY_CLI_USAGE', message, { field });
}

function missing(field: string, message: string): CliError {
  return new CliError('SWY_CLI_MISSING_OPTION', message, { field });
}
