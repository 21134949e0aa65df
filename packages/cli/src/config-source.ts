import type { BalancingOptions, Router } from '@switchyard/core';
import type { DnsDiscovery } from '@switchyard/dns';
import type { CertificateStore, PemCertificate } from '@switchyard/tls';
import type { GatewayBind, GatewayPorts } from './gateway-ports.js';
import type { AnyDiagnostic } from './manifest-config.js';

/** What a reload did. */
export interface ReloadResult {
  /** False when the files could not all be read and parsed: the last good state keeps serving. */
  readonly applied: boolean;
  /** The version of the table serving now. */
  readonly tableVersion: number;
  /** Every problem of the files read (loading, compiling, TLS). */
  readonly diagnostics: readonly AnyDiagnostic[];
}

/** What a configuration source is started with. */
export interface SourceContext {
  readonly ingressClass: string | undefined;
  /** The GatewayClass served. From files: undefined serves no Gateway API object. From a cluster: narrows our controller's classes. */
  readonly gatewayClass?: string | undefined;
  /** From a cluster: the controller name whose GatewayClasses are ours (default `DEFAULT_CONTROLLER_NAME`). */
  readonly controllerName?: string | undefined;
  /** Only these Gateways of the class. */
  readonly gateways?: readonly string[] | undefined;
  /** Where Gateway listener ports listen (`--bind`). */
  readonly gatewayBinds?: readonly GatewayBind[] | undefined;
  /** How the router balances each backend (`--balancer`). */
  readonly balancing: BalancingOptions | undefined;
  /** Resolves ExternalName Services. */
  readonly externalNames: DnsDiscovery;
  /** The ExternalName Services resolved (`--allow-external-name`); none when empty. */
  readonly allowExternalNames: readonly string[];
  /**
   * From a cluster with `--lease`: false in the workers of `--workers N` but the first, so that a
   * pod is one candidate for the Lease (its workers share one identity) and one status writer.
   */
  readonly writesStatus?: boolean | undefined;
  /** Set when HTTPS is served: the default certificate, if given. */
  readonly tls: { readonly defaultCertificate: PemCertificate | undefined } | undefined;
  /** One line to the operator. */
  report(line: string): void;
  /** Counts a source failure in the gateway's metrics (`source` is `files` or `kubernetes`). */
  countError(source: string, code: string): void;
  /** Sets how many objects of `source` serve at their last valid version (a gauge). */
  countKept(source: string, count: number): void;
}

/**
 * Where `serve` gets its routes, endpoints and certificates: files or a cluster. Both keep a
 * `Router` and a `CertificateStore` current; the gateway only reads them.
 */
export interface ConfigSource {
  readonly router: Router;
  /** Set when HTTPS is served. */
  readonly certificates: CertificateStore | undefined;
  /** Set when a GatewayClass is served: the Gateway listener ports to listen on, and their certificates. */
  readonly gatewayPorts?: GatewayPorts | undefined;
  /** Resolves once the configuration is complete (at once for files; the first full sync for a cluster). */
  readonly synced: Promise<void>;
  /** A Gateway listener port could not be listened on after the start (a cluster's): for its listeners' status. */
  gatewayPortFailed?(port: number, why: string): void;
  /** For /readyz. */
  isReady(): boolean;
  /** For /readyz: what the source is and how it fares. */
  status(): Record<string, unknown>;
  /** One line for the operator once serving: what is served. */
  describe(): string;
  /** Re-reads the configuration now. */
  reload(): Promise<ReloadResult>;
  close(): Promise<void>;
}

/** The Router's balancing option from the context, when the command line set one. */
export function routerBalancing(context: SourceContext): { balancing?: BalancingOptions } {
  return context.balancing === undefined ? {} : { balancing: context.balancing };
}
