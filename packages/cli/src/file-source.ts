import { Router, StaticDiscovery, type CompileResult, type LoadedManifests } from '@switchyard/core';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ManifestFiles, watchManifestFiles } from '@switchyard/core/files';
import { CertificateStore } from '@switchyard/tls';
import { routerBalancing, type ConfigSource, type ReloadResult, type SourceContext } from './config-source.js';
import { CliError } from './errors.js';
import { formatDiagnostic } from './format.js';
import { LastValidIngresses, type KeptIngress } from './last-valid-ingresses.js';
import { GatewayPorts } from './gateway-ports.js';
import { assertReadable, compileManifests, compileManifestsInSlices, GATEWAY_API_NOT_SERVED, type AnyDiagnostic, type ManifestConfig, type ManifestScope } from './manifest-config.js';
import { fileTlsInputs } from './tls-config.js';

/**
 * Serves manifest files: a static discovery over their Services and EndpointSlices, a table
 * compiled from their Ingresses, certificates from their Secrets. When a file changes, all
 * are read again and swapped in together (`discovery.update`, `router.update`,
 * `certificates.update`), unless a file could not be read or a document did not parse: then
 * the last good state keeps serving and the report says why. Invalid Ingresses are not such
 * a failure: as with a cluster, they are left out with a diagnostic and the rest is served.
 *
 * @throws CliError `SWY_CLI_FILE_UNREADABLE` for a path that is not there,
 *   `SWY_CLI_MANIFESTS_INVALID` when the files do not all parse at startup.
 */
export async function startFileSource(files: readonly string[], watchFiles: boolean, context: SourceContext): Promise<ConfigSource> {
  await assertReadable(files, '-f');
  let queue: Promise<unknown> = Promise.resolve();
  let source: FileSource | undefined;
  // Loads are applied one at a time, in the order they finish loading.
  const enqueue = <T>(task: () => T | Promise<T>): Promise<T> => {
    const next = queue.then(task);
    queue = next.catch(() => undefined);
    return next;
  };
  const onChange = (loaded: LoadedManifests) => {
    enqueue(() => source?.apply(loaded, 'files changed')).catch((error: unknown) => context.report(`switchyard: files changed: reload failed: ${(error as Error).message}`));
  };
  // Reloads parse changed files on a worker thread, through the watch or a loader of their own.
  const watch = watchFiles ? await watchManifestFiles(files, onChange) : undefined;
  const loader: Loader = watch ?? new ManifestFiles(files);
  const initial = watch?.initial ?? (await loader.load());
  const lastValid = new LastValidIngresses();
  try {
    source = new FileSource(files, compileManifests(initial, scopeOf(context), lastValid), lastValid, context, loader, watch !== undefined, enqueue);
  } catch (error) {
    void loader.close();
    throw error;
  }
  return source;
}

/** Where reloads come from: the watch, or `ManifestFiles` when not watching. */
interface Loader {
  load(): Promise<LoadedManifests>;
  close(): void | Promise<void>;
}

/** What the files are compiled for: the IngressClass and the Gateway API scope of the context. */
function scopeOf(context: SourceContext): ManifestScope {
  return { ingressClass: context.ingressClass, gatewayClass: context.gatewayClass, gateways: context.gateways };
}

class FileSource implements ConfigSource {
  readonly router: Router;
  readonly certificates: CertificateStore | undefined;
  readonly gatewayPorts: GatewayPorts | undefined;
  readonly synced: Promise<void>;
  private readonly discovery: StaticDiscovery;
  private lastReload: { readonly at: string; readonly applied: boolean; readonly errors: number } | undefined;
  /** Ingresses whose files hold an invalid version, serving at their last valid one. */
  private kept: readonly KeptIngress[] = [];
  /** The compile being served: the next one compiles only what changed since. */
  private compiled: CompileResult;

  constructor(
    private readonly files: readonly string[],
    config: ManifestConfig,
    private readonly lastValid: LastValidIngresses,
    private readonly context: SourceContext,
    private readonly loader: Loader,
    private readonly watching: boolean,
    private readonly enqueue: <T>(task: () => T | Promise<T>) => Promise<T>,
  ) {
    const tlsDiagnostics = this.tls(config);
    // Gateway API objects that are not served are said once, at startup.
    this.report([...config.diagnostics, ...tlsDiagnostics.diagnostics], true);
    if (config.incomplete) {
      const codes = [...new Set(config.loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))].join(', ');
      throw new CliError('SWY_CLI_MANIFESTS_INVALID', `the manifests do not all read and parse (${codes}); nothing is served from part of them: see the lines above, or switchyard check`);
    }
    // The allow list is given once: StaticDiscovery keeps it across the updates of reloads.
    this.discovery = new StaticDiscovery({ objects: config.loaded.objects, externalNames: context.externalNames, allowExternalNames: context.allowExternalNames });
    this.compiled = config.compiled;
    this.router = new Router({ table: config.compiled.table, discovery: this.discovery, ...routerBalancing(context) });
    this.certificates = tlsDiagnostics.store;
    this.gatewayPorts = context.gatewayClass === undefined ? undefined : new GatewayPorts(config.compiled.table, context.gatewayBinds ?? []);
    if (this.gatewayPorts !== undefined) {
      this.report(this.gatewayPorts.diagnostics);
      for (const bind of this.gatewayPorts.unusedBinds) context.report(`switchyard: --bind ${bind.port}=...: no served Gateway listener uses port ${bind.port}; it is not listened on`);
    }
    // The router now watches every backend; ExternalName ones wait for their first DNS answer.
    this.synced = context.externalNames.ready();
  }

  isReady(): boolean {
    return true;
  }

  /**
   * For /readyz. `degraded` lists the Ingresses serving at their last valid version while their
   * files hold an invalid one; readiness stays as it is, so a rollout does not flap on a typo.
   */
  status(): Record<string, unknown> {
    return {
      source: 'files',
      files: this.files,
      tableVersion: this.router.table.version,
      watching: this.watching,
      degraded: this.kept.length === 0 ? false : { keptAtLastValidVersion: this.kept },
      ...(this.gatewayPorts === undefined ? {} : { gateway: this.gatewayPorts.status() }),
      ...(this.lastReload ? { lastReload: this.lastReload } : {}),
    };
  }

  describe(): string {
    const table = this.router.table;
    const gateway = this.gatewayPorts === undefined ? '' : ` and ${table.gatewayApi?.routes.length ?? 0} HTTPRoute backends on Gateway ports ${this.gatewayPorts.served.map((p) => p.port).join(', ') || '(none)'}`;
    return `serving ${table.routeCount()} routes${gateway} from ${this.files.join(', ')} (table version ${this.router.table.version})${this.watching ? ', reloading on change' : ''}`;
  }

  reload(): Promise<ReloadResult> {
    return this.enqueue(async () => this.apply(await this.loader.load(), 'reload'));
  }

  async close(): Promise<void> {
    await this.loader.close();
    // A reload in flight finishes against the open router, then nothing more runs.
    await this.enqueue(() => undefined);
    this.router.close();
    await this.discovery.close();
  }

  /**
   * Applies a fresh load, or keeps the last good state when it is incomplete. The event loop
   * runs requests during the compile (in slices) and between it, the endpoints' update and the
   * table's, so no one piece of a reload holds them up for long (each about a millisecond at
   * 10,000 paths when one file changed).
   */
  async apply(loaded: LoadedManifests, why: string): Promise<ReloadResult> {
    const config = await compileManifestsInSlices(loaded, scopeOf(this.context), this.lastValid, this.compiled);
    if (config.incomplete) {
      const errors = config.loaded.diagnostics.filter((d) => d.severity === 'error');
      for (const d of errors) this.context.countError('files', d.code);
      this.lastReload = { at: new Date().toISOString(), applied: false, errors: errors.length };
      this.context.report(`switchyard: ${why}: reload failed, still serving table version ${this.router.table.version}: the files do not all read and parse [${errors[0]!.code}]`);
      this.report(errors);
      return { applied: false, tableVersion: this.router.table.version, diagnostics: config.diagnostics };
    }
    this.compiled = config.compiled;
    await nextTurn();
    // Endpoints first, so the backends a new table adds resolve against the new objects.
    this.discovery.update({ objects: config.loaded.objects, externalNames: this.context.externalNames });
    await nextTurn();
    this.router.update(config.compiled.table);
    const tlsDiagnostics = this.certificates?.update(fileTlsInputs(config, this.context.ingressClass, this.context.tls?.defaultCertificate)) ?? [];
    const gatewayUpdate = this.gatewayPorts?.update(config.compiled.table);
    const diagnostics = [...config.diagnostics, ...tlsDiagnostics, ...(gatewayUpdate?.diagnostics ?? [])];
    this.lastReload = { at: new Date().toISOString(), applied: true, errors: diagnostics.filter((d) => d.severity === 'error').length };
    this.context.report(`switchyard: ${why}: reloaded, table version ${config.compiled.table.version}, ${config.compiled.table.routeCount()} routes`);
    this.report(diagnostics);
    if (gatewayUpdate?.change !== undefined) this.context.report(`switchyard: ${why}: ${gatewayUpdate.change}`);
    this.keep(config.kept);
    return { applied: true, tableVersion: config.compiled.table.version, diagnostics };
  }

  /** Says which Ingresses serve at their last valid version, on the report and in the gauge. */
  private keep(kept: readonly KeptIngress[]): void {
    this.kept = kept;
    this.context.countKept('files', kept.length);
    for (const object of kept) {
      const where = `${object.file ?? 'the files'}${object.line === undefined ? '' : ` line ${object.line}`}${object.field === undefined ? '' : ` ${object.field}`}`;
      this.context.report(`switchyard: Ingress ${object.object} is invalid in ${where} (see above): its last valid version keeps serving [${object.code}]`);
    }
  }

  private tls(config: ManifestConfig): { store: CertificateStore | undefined; diagnostics: readonly AnyDiagnostic[] } {
    if (this.context.tls === undefined) return { store: undefined, diagnostics: [] };
    const store = new CertificateStore(fileTlsInputs(config, this.context.ingressClass, this.context.tls.defaultCertificate));
    return { store, diagnostics: store.diagnostics };
  }

  /** Errors and warnings; info (an Ingress of another class left out) only matters to `check`, but for the note that Gateway API objects are not served (`notServed`). */
  private report(diagnostics: readonly AnyDiagnostic[], notServed = false): void {
    for (const d of diagnostics) if (d.severity !== 'info' || (notServed && d.code === GATEWAY_API_NOT_SERVED)) this.context.report(formatDiagnostic(d));
  }
}
