import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { compile, compileInSlices, type CompileOptions, type CompileResult, type Diagnostic, type Ingress, type KubernetesObject, type LoadedManifests, type Secret } from '@switchyard/core';
import { loadManifestFiles } from '@switchyard/core/files';
import { CliError } from './errors.js';
import type { IngressesToServe, KeptIngress, LastValidIngresses } from './last-valid-ingresses.js';
import { collectYoungGeneration } from './v8-flags.js';

/**
 * A diagnostic of any Switchyard package: core's shape, with a code from core's registry or
 * another's (`SWY_TLS_*` from the certificate store).
 */
export type AnyDiagnostic = Omit<Diagnostic, 'code'> & { readonly code: string };

/** Which objects of the files are served: the IngressClass, and the Gateway API scope. */
export interface ManifestScope {
  /** The IngressClass served; every Ingress when omitted. */
  readonly ingressClass?: string | undefined;
  /**
   * The GatewayClass served (`--gateway-class`): its Gateways and their HTTPRoutes are compiled
   * beside the Ingresses. Omitted: Gateway API objects in the files are not served (an info
   * diagnostic `SWY_CLI_GATEWAY_API_NOT_SERVED` says so).
   */
  readonly gatewayClass?: string | undefined;
  /** Only these Gateways of the class (`namespace/name`, `--gateway`); all when omitted. */
  readonly gateways?: readonly string[] | undefined;
}

/** The diagnostic code saying the files hold Gateway API objects that are not served (no `--gateway-class`). */
export const GATEWAY_API_NOT_SERVED = 'SWY_CLI_GATEWAY_API_NOT_SERVED';

const GATEWAY_API_VERSIONS = new Set(['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1']);

/** What a set of manifest files holds, compiled: the one input of check, explain and serve. */
export interface ManifestConfig {
  readonly loaded: LoadedManifests;
  /** The Ingresses compiled: the loaded ones, with an invalid edit replaced by its last valid version when serving. */
  readonly ingresses: readonly Ingress[];
  /** Ingresses serving at their last valid version (serve only). */
  readonly kept: readonly KeptIngress[];
  readonly compiled: CompileResult;
  /** The `v1` Secrets among the objects, for TLS. */
  readonly secrets: readonly Secret[];
  /** Loading problems first (file, document), then compile's, then `SWY_CLI_GATEWAY_API_NOT_SERVED` when it applies. */
  readonly diagnostics: readonly AnyDiagnostic[];
  /** True when a GatewayClass is served (`--gateway-class`): the table holds its Gateways and HTTPRoutes. */
  readonly servesGatewayApi: boolean;
  /**
   * True when a file could not be read or a document did not parse (or was no Kubernetes
   * object): what loaded is only part of what the files say, so `serve` does not apply it.
   */
  readonly incomplete: boolean;
}

/** Reads and compiles manifest files and directories (`.yaml`, `.yml`, `.json`). */
export async function readManifestConfig(files: readonly string[], scope: ManifestScope): Promise<ManifestConfig> {
  return compileManifests(await loadManifestFiles(files), scope);
}

/**
 * Compiles what `loadManifestFiles` (or a watch) loaded. With `lastValid` (serve), an Ingress whose
 * new version fails validation compiles at its last valid version, and its errors are reported
 * all the same; a load that is incomplete is not applied, so it leaves `lastValid` as it was.
 * With `previous` (the compile being served), only what changed is compiled again (core's
 * `CompileOptions.previous`): a watched reload keeps the objects of the files that did not change.
 */
export function compileManifests(loaded: LoadedManifests, scope: ManifestScope, lastValid?: LastValidIngresses, previous?: CompileResult): ManifestConfig {
  const input = compileInput(loaded, scope, lastValid, previous);
  return manifestConfig(input, compile(input.options));
}

/**
 * `compileManifests` for a gateway that serves while it compiles: the compile gives the event
 * loop a turn every couple of milliseconds (core's `compileInSlices`), and collects the young
 * generation between slices when it has grown (`collectYoungGeneration`), so a compile from scratch (an
 * IngressClass change) does not hold requests up for its whole length, nor for long at once.
 */
export async function compileManifestsInSlices(loaded: LoadedManifests, scope: ManifestScope, lastValid: LastValidIngresses, previous: CompileResult): Promise<ManifestConfig> {
  const input = compileInput(loaded, scope, lastValid, previous);
  return manifestConfig(input, await compileInSlices(input.options, { betweenSlices: collectYoungGeneration }));
}

/** What a compile of the files reads, and what its result is reported with. */
interface CompileInput {
  readonly loaded: LoadedManifests;
  readonly scope: ManifestScope;
  readonly incomplete: boolean;
  readonly selected: IngressesToServe | undefined;
  readonly ingresses: readonly Ingress[];
  readonly secrets: Secret[];
  readonly options: CompileOptions;
}

function compileInput(loaded: LoadedManifests, scope: ManifestScope, lastValid: LastValidIngresses | undefined, previous: CompileResult | undefined): CompileInput {
  const { ingressClass } = scope;
  const incomplete = loaded.diagnostics.some((d) => d.severity === 'error');
  const selected = incomplete ? undefined : lastValid?.select(loaded.ingresses, ingressClass, loaded.ingressClasses);
  const ingresses = selected?.ingresses ?? loaded.ingresses;
  const secrets = ofKind(loaded.objects, 'v1', 'Secret') as unknown as Secret[];
  const options: CompileOptions = {
    ingresses,
    ingressClasses: loaded.ingressClasses,
    ...(lastValid === undefined ? {} : { validated: lastValid.validations }),
    ...(ingressClass === undefined ? {} : { ingressClass }),
    ...gatewayApiOptions(loaded.objects, scope, secrets),
    ...(previous === undefined ? {} : { previous }),
  };
  return { loaded, scope, incomplete, selected, ingresses, secrets, options };
}

function manifestConfig(input: CompileInput, compiled: CompileResult): ManifestConfig {
  const { loaded, scope, selected } = input;
  return {
    loaded,
    ingresses: input.ingresses,
    kept: selected?.kept ?? [],
    compiled,
    secrets: input.secrets,
    diagnostics: [...loaded.diagnostics, ...(selected?.diagnostics ?? []), ...compiled.diagnostics, ...notServedDiagnostic(loaded.objects, scope)],
    incomplete: input.incomplete,
    servesGatewayApi: scope.gatewayClass !== undefined,
  };
}

/**
 * The Gateway API part of `compile`'s options when a GatewayClass is served. Services are
 * given only when the files hold some (as `serviceBackendDiagnostics` does for Ingresses): a
 * backendRef to a Service the files do not hold is then `BackendNotFound`.
 */
function gatewayApiOptions(objects: readonly KubernetesObject[], scope: ManifestScope, secrets: readonly Secret[]): Partial<CompileOptions> {
  if (scope.gatewayClass === undefined) return {};
  const gatewayApi = (kind: string) => objects.filter((object) => GATEWAY_API_VERSIONS.has(object.apiVersion ?? '') && object.kind === kind) as never[];
  const services = ofKind(objects, 'v1', 'Service');
  return {
    gatewayClass: scope.gatewayClass,
    ...(scope.gateways === undefined ? {} : { gatewayNames: scope.gateways }),
    gateways: gatewayApi('Gateway'),
    httpRoutes: gatewayApi('HTTPRoute'),
    grpcRoutes: gatewayApi('GRPCRoute'),
    gatewayClasses: gatewayApi('GatewayClass'),
    referenceGrants: gatewayApi('ReferenceGrant'),
    namespaces: ofKind(objects, 'v1', 'Namespace') as never[],
    secrets,
    ...(services.length === 0 ? {} : { services: services as never[] }),
  };
}

/** Without `--gateway-class`, one info line saying the files' Gateway API objects are not served, never silence. */
function notServedDiagnostic(objects: readonly KubernetesObject[], scope: ManifestScope): AnyDiagnostic[] {
  if (scope.gatewayClass !== undefined) return [];
  const counts = new Map<string, number>();
  // Indexed: this runs once per reload, in V8's interpreter or baseline code, where a for-of allocates per element.
  for (let i = 0; i < objects.length; i++) {
    const object = objects[i]!;
    if (GATEWAY_API_VERSIONS.has(object.apiVersion ?? '')) counts.set(object.kind ?? '', (counts.get(object.kind ?? '') ?? 0) + 1);
  }
  if (counts.size === 0) return [];
  const held = [...counts].map(([kind, count]) => `${count} ${kind}${count === 1 ? '' : 's'}`).join(', ');
  const classes = [...new Set(objects.filter((o) => o.kind === 'Gateway' && GATEWAY_API_VERSIONS.has(o.apiVersion ?? '')).map((o) => (o as { spec?: { gatewayClassName?: string } }).spec?.gatewayClassName).filter((name) => typeof name === 'string'))];
  const hint = classes.length === 0 ? '--gateway-class NAME' : classes.map((name) => `--gateway-class ${name}`).join(' or ');
  return [{ code: GATEWAY_API_NOT_SERVED, severity: 'info', object: 'gateway.networking.k8s.io', message: `the files hold ${held}, which are not served without --gateway-class: give ${hint} to serve them` }];
}

function ofKind(objects: readonly KubernetesObject[], apiVersion: string, kind: string): KubernetesObject[] {
  return objects.filter((object) => object.apiVersion === apiVersion && object.kind === kind);
}

/**
 * Fails fast on a path the user named that is not there: a missing `-f` is a mistake on the
 * command line (exit 2), not a diagnostic about the manifests.
 *
 * @throws CliError `SWY_CLI_FILE_UNREADABLE` naming the path, `field` set to `field`.
 */
export async function assertReadable(paths: readonly string[], field: string): Promise<void> {
  for (const path of paths) {
    try {
      await access(path, constants.R_OK);
    } catch (cause) {
      const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : 'cannot be read';
      throw new CliError('SWY_CLI_FILE_UNREADABLE', `${field} ${path}: ${reason}`, { field, cause });
    }
  }
}
