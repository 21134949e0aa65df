import { hostname } from 'node:os';
import { isIP } from 'node:net';
import type { GatewayApiStatus, Service } from '@switchyard/core';
import { LeaseElector, StatusPublisher, type GatewayStatusAddress, type KubeConnection, type KubeError, type LeaseTimings, type SharedCollection, type StatusInputs } from '@switchyard/kubernetes';

/** `--lease NAMESPACE/NAME` and its timings: the Lease the replicas elect the status writer with. */
export interface LeaseServeOptions extends LeaseTimings {
  readonly namespace: string;
  readonly name: string;
  /** This replica's holder identity. Default: `$POD_NAME`, else the host name. */
  readonly identity?: string;
}

/** Where the Gateways' `status.addresses` come from: given addresses, or a Service of type LoadBalancer (`namespace/name`). */
export type GatewayAddressSource = { readonly addresses: readonly string[] } | { readonly service: string };

export interface StatusWriteBackOptions {
  readonly connection: KubeConnection;
  readonly controllerName: string;
  readonly lease: LeaseServeOptions;
  readonly addresses: GatewayAddressSource | undefined;
  /** The Services watched already, for a `service` address source. */
  readonly services: SharedCollection;
  readonly onError: (error: KubeError) => void;
  readonly report: (line: string) => void;
}

/** The holder identity of this replica: `--lease-identity`, else the pod name from the downward API, else the host name. */
export function leaseIdentity(given: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (given !== undefined) return given;
  const pod = env['POD_NAME'];
  return pod !== undefined && pod !== '' ? pod : hostname();
}

/**
 * The Gateway API status write-back of `serve --kubernetes`: replicas elect one writer with a
 * Lease, and the writer publishes what each compile concluded (`StatusPublisher`: only what
 * differs, conflicts retried). Every replica serves traffic whether or not it leads.
 */
export class StatusWriteBack {
  private readonly elector: LeaseElector;
  private readonly publisher: StatusPublisher;
  private inputs: StatusInputs | undefined;
  private writes = 0;
  private conflicts = 0;
  private lastWriteAt: string | undefined;
  readonly identity: string;

  constructor(private readonly options: StatusWriteBackOptions) {
    const { lease } = options;
    this.identity = leaseIdentity(lease.identity);
    this.publisher = new StatusPublisher({
      connection: options.connection,
      controllerName: options.controllerName,
      isLeader: () => this.elector.isLeader,
      inputs: () => this.inputs,
      addresses: () => this.addresses(),
      onWrite: (_write, outcome) => {
        if (outcome === 'written') {
          this.writes++;
          this.lastWriteAt = new Date().toISOString();
        } else if (outcome === 'conflict') this.conflicts++;
      },
      onError: options.onError,
    });
    this.elector = new LeaseElector({
      connection: options.connection,
      namespace: lease.namespace,
      name: lease.name,
      identity: this.identity,
      ...pick(lease),
      onStartedLeading: () => {
        options.report(`switchyard: leading Lease ${lease.namespace}/${lease.name} as ${this.identity}: writing Gateway API status`);
        this.publisher.changed();
      },
      onStoppedLeading: () => options.report(`switchyard: no longer leading Lease ${lease.namespace}/${lease.name}: status writes stop`),
      onError: options.onError,
    });
  }

  start(): this {
    this.elector.start();
    return this;
  }

  /** A compile concluded `status` from `observed`: publish it if this replica leads and it differs. */
  changed(status: GatewayApiStatus, observed: StatusInputs['observed']): void {
    this.inputs = { status, observed };
    this.publisher.changed();
  }

  /** For /readyz. */
  status(): Record<string, unknown> {
    const { lease } = this.options;
    return {
      lease: `${lease.namespace}/${lease.name}`,
      identity: this.identity,
      leading: this.elector.isLeader,
      leader: this.elector.leader ?? null,
      writes: this.writes,
      conflicts: this.conflicts,
      lastWriteAt: this.lastWriteAt ?? null,
    };
  }

  /** Stops writing and releases the Lease, so another replica takes over at its next try. */
  async close(): Promise<void> {
    await this.publisher.close();
    await this.elector.stop({ release: true });
  }

  private addresses(): GatewayStatusAddress[] | undefined {
    const source = this.options.addresses;
    if (source === undefined) return undefined;
    if ('addresses' in source) return source.addresses.map(addressOf);
    const service = (this.options.services.objects() as Service[]).find((s) => `${s.metadata?.namespace}/${s.metadata?.name}` === source.service);
    // Not (yet) seen: the addresses written before stay.
    if (service === undefined) return undefined;
    const ingress = (service as { status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } } }).status?.loadBalancer?.ingress ?? [];
    return ingress.flatMap((entry) => (entry.ip ? [addressOf(entry.ip)] : entry.hostname ? [addressOf(entry.hostname)] : []));
  }
}

/** An address as Gateway status writes it: an IP literal is an `IPAddress`, anything else a `Hostname`. */
export function addressOf(value: string): GatewayStatusAddress {
  return { type: isIP(value) === 0 ? 'Hostname' : 'IPAddress', value };
}

function pick(timings: LeaseTimings): LeaseTimings {
  return {
    ...(timings.leaseDurationSeconds === undefined ? {} : { leaseDurationSeconds: timings.leaseDurationSeconds }),
    ...(timings.renewDeadlineMs === undefined ? {} : { renewDeadlineMs: timings.renewDeadlineMs }),
    ...(timings.retryPeriodMs === undefined ? {} : { retryPeriodMs: timings.retryPeriodMs }),
  };
}
