import type { RouteTable } from '@switchyard/core';
import { CertificateStore, type TlsDiagnostic } from '@switchyard/tls';
import { CliError } from './errors.js';
import { gatewayTlsInputs } from './gateway-tls.js';
import type { ListenAddress } from './listen-address.js';

/** `--bind PORT=HOST:PORT`: where one Gateway listener port listens. */
export interface GatewayBind {
  /** The listener port, as the Gateways write it. */
  readonly port: number;
  readonly listen: ListenAddress;
}

/** One Gateway listener port `serve` listens on. */
export interface ServedGatewayPort {
  readonly port: number;
  readonly protocol: string;
  readonly listen: ListenAddress;
  /** For an HTTPS port: its listeners' certificates, updated on every reload. */
  readonly certificates: CertificateStore | undefined;
}

/** Where a Gateway listener port without a `--bind` listens: the port itself, on every IPv4 address. */
const ALL_ADDRESSES = '0.0.0.0';
/** Ports below this need privileges: without a `--bind`, asking for one is a usage error rather than an EACCES. */
const FIRST_UNPRIVILEGED_PORT = 1024;

/**
 * The Gateway listener ports `serve` listens on, decided once at startup from the first table
 * (a process cannot rebind while serving), and their certificates, kept current on reload.
 * A reload that adds or removes a port, or turns one between HTTP and HTTPS, is reported and
 * shown in `status()` until the files go back or the process restarts.
 */
export class GatewayPorts {
  readonly served: readonly ServedGatewayPort[];
  /** The TLS problems of the certificates at startup. */
  readonly diagnostics: readonly TlsDiagnostic[];
  /** `--bind`s of ports no served listener uses, for the operator. */
  readonly unusedBinds: readonly GatewayBind[];
  /** Ports not listened on (`privilegedWithoutBind: 'leave-out'`), and why. */
  readonly leftOut: ReadonlyArray<{ readonly port: number; readonly code: 'SWY_CLI_USAGE'; readonly message: string }>;
  private pending: { added: number[]; removed: number[]; protocolChanged: number[] } | undefined;
  /** Served ports whose listening failed (an address in use), and why. */
  private readonly failed = new Map<number, string>();

  /**
   * `privilegedWithoutBind` says what a port below 1024 without a `--bind` does: `throw` (files:
   * the operator fixes the command line) or `leave-out` (a cluster: a Gateway anyone may edit
   * must not stop the process; the port is not listened on and `leftOut` says why).
   *
   * @throws CliError `SWY_CLI_USAGE` (field `--bind`) for a port below 1024 without a `--bind`, with `throw`.
   */
  constructor(table: RouteTable, binds: readonly GatewayBind[], { privilegedWithoutBind = 'throw' }: { privilegedWithoutBind?: 'throw' | 'leave-out' } = {}) {
    const bindOf = new Map(binds.map((bind) => [bind.port, bind.listen]));
    const diagnostics: TlsDiagnostic[] = [];
    const leftOut: Array<{ port: number; code: 'SWY_CLI_USAGE'; message: string }> = [];
    this.served = table.gatewayPorts().flatMap((port) => {
      const protocol = table.gatewayPort(port)!.protocol;
      const listen = bindOf.get(port) ?? { host: ALL_ADDRESSES, port };
      if (!bindOf.has(port) && port < FIRST_UNPRIVILEGED_PORT) {
        const message = `Gateway listener port ${port} is below ${FIRST_UNPRIVILEGED_PORT}: give --bind ${port}=HOST:PORT to serve it on another address (--bind ${port}=0.0.0.0:${port + 8000})`;
        if (privilegedWithoutBind === 'throw') throw new CliError('SWY_CLI_USAGE', message, { field: '--bind' });
        leftOut.push({ port, code: 'SWY_CLI_USAGE', message: `${message}; not listened on` });
        return [];
      }
      let certificates: CertificateStore | undefined;
      if (protocol === 'HTTPS') {
        certificates = new CertificateStore(gatewayTlsInputs(table, port));
        diagnostics.push(...certificates.diagnostics);
      }
      return [{ port, protocol, listen, certificates }];
    });
    this.leftOut = leftOut;
    this.diagnostics = diagnostics;
    this.unusedBinds = binds.filter((bind) => !this.served.some((served) => served.port === bind.port));
  }

  /**
   * Swaps in a reloaded table: the certificates of the HTTPS ports follow it. Returns their TLS
   * problems, and a sentence when the ports it serves differ from the ones listened on.
   */
  update(table: RouteTable): { diagnostics: TlsDiagnostic[]; change: string | undefined } {
    const diagnostics: TlsDiagnostic[] = [];
    const wanted = new Map(table.gatewayPorts().map((port) => [port, table.gatewayPort(port)!.protocol]));
    const protocolChanged: number[] = [];
    for (const served of this.served) {
      const protocol = wanted.get(served.port);
      if (protocol !== undefined && protocol !== served.protocol) protocolChanged.push(served.port);
      else if (served.certificates !== undefined) diagnostics.push(...served.certificates.update(gatewayTlsInputs(table, served.port)));
    }
    const added = [...wanted.keys()].filter((port) => !this.served.some((served) => served.port === port) && !this.leftOut.some((left) => left.port === port));
    const removed = this.served.filter((served) => !wanted.has(served.port)).map((served) => served.port);
    this.pending = added.length + removed.length + protocolChanged.length === 0 ? undefined : { added, removed, protocolChanged };
    if (this.pending === undefined) return { diagnostics, change: undefined };
    const parts = [
      ...added.map((port) => `port ${port} added (not listened on)`),
      ...removed.map((port) => `port ${port} removed (still listened on, answering 404)`),
      ...protocolChanged.map((port) => `port ${port} changed protocol to ${wanted.get(port)} (still served as ${this.served.find((s) => s.port === port)!.protocol}, answering 404)`),
    ];
    return { diagnostics, change: `Gateway listener ports changed: ${parts.join(', ')}; a running gateway cannot rebind: restart switchyard serve to apply [SWY_CLI_GATEWAY_PORTS_CHANGED]` };
  }

  /** A served port could not be listened on: it counts as not listened on from now. */
  listenFailed(port: number, why: string): void {
    this.failed.set(port, why);
  }

  /** The ports of `table` this process does not listen on (as the table wants them), and why: for the listeners' `Programmed`. */
  notListened(table: RouteTable): Map<number, string> {
    const why = new Map<number, string>();
    for (const port of table.gatewayPorts()) {
      const left = this.leftOut.find((l) => l.port === port);
      const served = this.served.find((s) => s.port === port);
      if (left !== undefined) why.set(port, left.message);
      else if (this.failed.has(port)) why.set(port, this.failed.get(port)!);
      else if (served === undefined) why.set(port, `port ${port} was added after this gateway process started: restart it to listen on the port`);
      else if (served.protocol !== table.gatewayPort(port)!.protocol) why.set(port, `port ${port} is listened on as ${served.protocol}: restart this gateway process to serve it as ${table.gatewayPort(port)!.protocol}`);
    }
    return why;
  }

  /** For /readyz: the ports listened on, and what waits for a restart. */
  status(): Record<string, unknown> {
    return {
      ports: this.served.map(({ port, protocol, listen }) => ({ port, protocol, listen: `${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}` })),
      ...(this.leftOut.length + this.failed.size === 0 ? {} : { notListened: [...this.leftOut, ...[...this.failed].map(([port, message]) => ({ port, code: 'SWY_CLI_LISTEN_FAILED', message }))] }),
      restartNeeded: this.pending === undefined ? false : { code: 'SWY_CLI_GATEWAY_PORTS_CHANGED', ...this.pending },
    };
  }
}
