import { compile, compileInSlices, Router, type CompileOptions, type CompileResult, type Secret } from '@switchyard/core';
import { CertificateStore } from '@switchyard/tls';
import { GatewayApiSource, IngressSource, KubernetesDiscovery, SecretSource, type GatewayApiObserved, type KubeConnection, type KubeError, type KubeSourceOptions } from '@switchyard/kubernetes';
import { GatewayPorts } from './gateway-ports.js';
import { withListenedPorts } from './listened-status.js';
import { StatusWriteBack } from './status-write-back.js';
import { routerBalancing, type ConfigSource, type ReloadResult, type SourceContext } from './config-source.js';
import { formatDiagnostic } from './format.js';
import { loadKubeConnection } from './kube-connection.js';
import type { AnyDiagnostic } from './manifest-config.js';
import type { KubernetesServeOptions } from './serve-options.js';
import { collectYoungGeneration } from './v8-flags.js';

/**
 * Serves a live cluster: `IngressSource` compiles the Ingresses and IngressClasses,
 * `KubernetesDiscovery` follows Services and EndpointSlices, `SecretSource` the TLS Secrets
 * (only when HTTPS is served). Until the first complete sync of all of them the router holds
 * an empty table and /readyz answers 503; then every table the source pushes goes to
 * `router.update`, and every Secret or Ingress change to `certificates.update`. While the API
 * server is away the last state keeps serving; each failure is a line on the report and a
 * `discovery_errors_total{source="kubernetes"}` count.
 *
 * @throws CliError `SWY_CLI_FILE_UNREADABLE` / `SWY_CLI_KUBECONFIG_INVALID` for the kubeconfig.
 */
export async function startKubernetesSource(options: KubernetesServeOptions, context: SourceContext): Promise<ConfigSource> {
  const connection = await loadKubeConnection(options.kubeconfig);
  const common: KubeSourceOptions = {
    connection,
    ...(options.namespaces === undefined ? {} : { namespaces: options.namespaces }),
    onError: (error: KubeError) => {
      context.countError('kubernetes', error.code);
      context.report(`switchyard: kubernetes: ${error.message} [${error.code}]`);
    },
  };
  return new KubernetesSource(connection, options, common, context);
}

/** The controller name of Switchyard's GatewayClasses (`spec.controllerName`) unless `--controller-name` says otherwise. */
export const DEFAULT_CONTROLLER_NAME = 'switchyard.dev/gateway-controller';

class KubernetesSource implements ConfigSource {
  readonly router: Router;
  readonly certificates: CertificateStore | undefined;
  readonly synced: Promise<void>;
  private readonly ingresses: IngressSource;
  private readonly gatewayApi: GatewayApiSource;
  /** The Gateway listener ports, known after the first sync (`serve` then listens on them). */
  gatewayPorts: GatewayPorts | undefined = undefined;
  private readonly discovery: KubernetesDiscovery;
  private readonly secrets: SecretSource | undefined;
  private readonly writeBack: StatusWriteBack | undefined;
  private readonly server: string;
  private lastResult: CompileResult | undefined;
  private lastObserved: GatewayApiObserved | undefined;
  private readonly unsubscribe: Array<() => void> = [];
  private tlsSecrets: readonly Secret[] = [];
  // A cluster recompiles often: the operator is told what changed, not the same lines again.
  private readonly tableLines = new ChangedLines();
  private readonly tlsLines = new ChangedLines();
  private ready = false;
  private closed = false;
  /** The compile loop in flight, and whether either source changed since its compile began. */
  private compiling: Promise<void> | undefined;
  private dirty = false;
  private readonly closing = new AbortController();

  constructor(
    connection: KubeConnection,
    private readonly options: KubernetesServeOptions,
    common: KubeSourceOptions,
    private readonly context: SourceContext,
  ) {
    this.server = connection.server;
    const controllerName = context.controllerName ?? DEFAULT_CONTROLLER_NAME;
    this.ingresses = new IngressSource({ ...common, ...(context.ingressClass === undefined ? {} : { ingressClass: context.ingressClass }) });
    this.discovery = new KubernetesDiscovery({ ...common, externalNames: context.externalNames, allowExternalNames: context.allowExternalNames });
    this.secrets = context.tls === undefined ? undefined : new SecretSource(common);
    // One watch per collection: the Gateway API reads the Services and TLS Secrets watched already.
    this.gatewayApi = new GatewayApiSource({
      ...common,
      controllerName,
      ...(context.gatewayClass === undefined ? {} : { gatewayClass: context.gatewayClass }),
      ...(context.gateways === undefined ? {} : { gateways: context.gateways }),
      services: this.discovery.sharedServices(),
      ...(this.secrets === undefined ? {} : { secrets: this.secrets.sharedSecrets() }),
    });
    this.writeBack =
      options.lease === undefined || context.writesStatus === false
        ? undefined
        : new StatusWriteBack({
            connection,
            controllerName,
            lease: options.lease,
            addresses: options.gatewayAddresses,
            services: this.discovery.sharedServices(),
            onError: common.onError!,
            report: context.report,
          }).start();
    if (options.lease === undefined) {
      context.report('switchyard: Gateway API status is not written back: give --lease NAMESPACE/NAME, so that one replica among all writes it');
    }
    // Nothing routes until the first complete sync; /readyz says so meanwhile.
    this.router = new Router({ table: compile({ ingresses: [] }).table, discovery: this.discovery, ...routerBalancing(context) });
    this.certificates = context.tls === undefined ? undefined : new CertificateStore(context.tls.defaultCertificate ? { defaultCertificate: context.tls.defaultCertificate } : {});
    this.synced = this.sync();
    // A close() before the first sync leaves `synced` pending or rejected; nobody must be told twice.
    this.synced.catch(() => undefined);
  }

  isReady(): boolean {
    return this.ready;
  }

  status(): Record<string, unknown> {
    return {
      source: 'kubernetes',
      server: this.server,
      namespaces: this.options.namespaces ?? 'all',
      synced: this.ready,
      tableVersion: this.router.table.version,
      ingresses: this.ingresses.status(),
      gatewayApi: this.gatewayApi.status(),
      ...(this.gatewayPorts === undefined ? {} : { gateway: this.gatewayPorts.status() }),
      endpoints: this.discovery.status(),
      ...(this.secrets ? { secrets: this.secrets.status() } : {}),
      statusWriteBack: this.writeBack?.status() ?? { enabled: false, reason: this.options.lease === undefined ? 'no --lease given' : 'written by the first worker of this process' },
    };
  }

  describe(): string {
    return `serving the cluster at ${this.server} (${this.options.namespaces ? `namespaces ${this.options.namespaces.join(', ')}` : 'all namespaces'}); ready after the first complete sync`;
  }

  /** The watches are live: a reload reports the current state rather than reading anything again. */
  async reload(): Promise<ReloadResult> {
    return { applied: this.ready, tableVersion: this.router.table.version, diagnostics: [...(this.lastResult?.diagnostics ?? []), ...(this.certificates?.diagnostics ?? [])] };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    for (const stop of this.unsubscribe) stop();
    await this.compiling;
    this.router.close();
    // The Lease first: a replica leaving hands the writing over at once rather than after the lease duration.
    await this.writeBack?.close();
    // The Gateway API source reads the Services and Secrets of the others: it stops first.
    await this.gatewayApi.close();
    await Promise.all([this.ingresses.close(), this.discovery.close(), this.secrets?.close()]);
  }

  private async sync(): Promise<void> {
    const [ingressTable, , secrets] = await Promise.all([this.ingresses.ready(), this.discovery.ready(), this.secrets?.ready(), this.gatewayApi.ready()]);
    if (this.closed) return;
    this.tlsSecrets = secrets ?? [];
    // Either source changing recompiles both together: one table holds the Ingresses and the Gateway API.
    // Heard from now on, so that a change during the first compile (in slices: it takes turns) is not missed.
    this.unsubscribe.push(this.ingresses.onObjectsChanged(() => this.recompile()));
    this.unsubscribe.push(this.gatewayApi.subscribe(() => this.recompile()));
    this.dirty = false;
    // The source's own first table holds the same Ingresses compiled in the same scope: reused.
    const first = await this.compileBoth(ingressTable);
    if (first === undefined) return;
    // A cluster's Gateway may name a port this process cannot listen on: said, not fatal.
    this.gatewayPorts = new GatewayPorts(first.result.table, this.context.gatewayBinds ?? [], { privilegedWithoutBind: 'leave-out' });
    for (const left of this.gatewayPorts.leftOut) this.context.report(`switchyard: ${left.message} [${left.code}]`);
    this.applyTable(first);
    this.ready = true;
    this.context.report(`switchyard: synced with ${this.server}: table version ${this.router.table.version}, ${this.router.table.routeCount()} routes`);
    if (this.dirty) this.recompile();
    if (this.secrets) {
      this.unsubscribe.push(
        this.secrets.subscribe((latest) => {
          if (latest === this.tlsSecrets) return;
          this.tlsSecrets = latest;
          this.updateCertificates();
        }),
      );
    }
  }

  /** A change of either source: compiled now, or right after the compile in flight (one at a time, so no older table is applied after a newer one). */
  private recompile(): void {
    this.dirty = true;
    // Until the first table is applied, sync() compiles and then looks at `dirty`.
    if (this.ready) this.compiling ??= this.compileWhileDirty();
  }

  private async compileWhileDirty(): Promise<void> {
    try {
      while (this.dirty && !this.closed) {
        this.dirty = false;
        const compiled = await this.compileBoth();
        if (compiled !== undefined) this.applyTable(compiled);
      }
    } finally {
      // In the same turn as the loop's last check: a change after it starts a new loop.
      this.compiling = undefined;
    }
  }

  /**
   * Both sources' objects as held now, compiled in slices (a compile from scratch, such as the
   * first or after an IngressClass change, must not stall the requests being served). Undefined when closed meanwhile.
   */
  private async compileBoth(previous = this.lastResult): Promise<Compiled | undefined> {
    // What the status is planned against: the objects this very compile read.
    const observed = this.gatewayApi.observed();
    const options: CompileOptions = {
      ingresses: this.ingresses.ingresses(),
      ingressClasses: this.ingresses.ingressClasses(),
      ...(this.context.ingressClass === undefined ? {} : { ingressClass: this.context.ingressClass }),
      ...this.gatewayApi.compileOptions(),
      // The watch caches keep the objects that did not change: only what did is compiled again.
      ...(previous === undefined ? {} : { previous }),
    };
    try {
      return { result: await compileInSlices(options, { signal: this.closing.signal, betweenSlices: collectYoungGeneration }), observed };
    } catch (error) {
      if (this.closing.signal.aborted) return undefined;
      throw error;
    }
  }

  private applyTable({ result, observed }: Compiled): void {
    if (this.closed || result.table === this.router.table) return;
    this.router.update(result.table);
    this.lastResult = result;
    this.lastObserved = observed;
    const ports = this.gatewayPorts?.update(result.table);
    if (ports?.change !== undefined) this.context.report(`switchyard: ${ports.change}`);
    this.publishStatus();
    for (const line of this.tableLines.next(result.diagnostics)) this.context.report(line);
    this.updateCertificates();
  }

  gatewayPortFailed(port: number, why: string): void {
    this.gatewayPorts?.listenFailed(port, why);
    this.publishStatus();
  }

  /** Hands the write-back the latest status, with the ports this process does not listen on said in the listeners' `Programmed`. */
  private publishStatus(): void {
    if (this.lastResult === undefined || this.lastObserved === undefined) return;
    const table = this.lastResult.table;
    this.writeBack?.changed(withListenedPorts(table, this.gatewayPorts?.notListened(table) ?? new Map<number, string>()), this.lastObserved);
  }

  /**
   * Rebuilds the certificates from the Ingresses and the Secrets, and reports new TLS problems.
   * The store leaves out Ingresses of another class and invalid ones by the rules compile() uses.
   */
  private updateCertificates(): void {
    if (this.certificates === undefined || this.secrets === undefined || this.closed) return;
    const diagnostics = this.certificates.update({
      ingresses: this.ingresses.ingresses(),
      ingressClasses: this.ingresses.ingressClasses(),
      ...(this.context.ingressClass === undefined ? {} : { ingressClass: this.context.ingressClass }),
      secrets: this.tlsSecrets,
      ...(this.context.tls?.defaultCertificate ? { defaultCertificate: this.context.tls.defaultCertificate } : {}),
    });
    for (const line of this.tlsLines.next(diagnostics)) this.context.report(line);
  }
}

/** A compile, and the Gateway API objects as read for it: the status is planned against those. */
interface Compiled {
  readonly result: CompileResult;
  readonly observed: GatewayApiObserved;
}

/** The error and warning lines of successive states, handing out those the previous state did not have. */
class ChangedLines {
  private last = new Set<string>();

  next(diagnostics: readonly AnyDiagnostic[]): string[] {
    const lines = new Set(diagnostics.filter((d) => d.severity !== 'info').map(formatDiagnostic));
    const fresh = [...lines].filter((line) => !this.last.has(line));
    this.last = lines;
    return fresh;
  }
}
