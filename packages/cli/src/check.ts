import { serviceBackendDiagnostics, type GatewayApiStatus } from '@switchyard/core';
import { buildSniTable } from '@switchyard/tls';
import { gatewayTlsInputs, httpsGatewayPorts } from './gateway-tls.js';
import { assertReadable, readManifestConfig, type AnyDiagnostic } from './manifest-config.js';
import { tlsDiagnostics } from './tls-config.js';

/** Options of `check` (and `switchyard check`). */
export interface CheckOptions {
  /** Manifest files and directories (`.yaml`, `.yml`, `.json`; multi-document; `kind: List`). */
  readonly files: readonly string[];
  /** The IngressClass to check as (see core's `compile`); every Ingress when omitted. */
  readonly ingressClass?: string;
  /** The GatewayClass whose Gateways and HTTPRoutes are checked (`--gateway-class`); without it they are not served, and one info diagnostic says so. */
  readonly gatewayClass?: string;
  /** Only these Gateways of the class (`namespace/name`). */
  readonly gateways?: readonly string[];
  /** The ExternalName Services serve would resolve (`--allow-external-name`): the others are a warning on their `spec.externalName`. */
  readonly allowExternalNames?: readonly string[];
  /** Warnings fail the check too. */
  readonly strict?: boolean;
}

/** What `check` found. */
export interface CheckResult {
  /** Every diagnostic: loading (file, document), compiling (object, field), backends against the files' Services, then TLS. */
  readonly diagnostics: readonly AnyDiagnostic[];
  readonly counts: { readonly error: number; readonly warning: number; readonly info: number };
  /** No errors (and, with `strict`, no warnings): `switchyard check` exits 0. */
  readonly ok: boolean;
  /** With `gatewayClass`: the conditions of each GatewayClass, Gateway, listener and HTTPRoute parent, as a cluster's status would hold them. */
  readonly status: GatewayApiStatus | undefined;
}

/**
 * Loads and compiles manifests the way `serve` would and reports every problem, without
 * serving anything: parse errors, invalid Ingresses, conflicts, backends that can never
 * resolve when the files hold Services (no such Service or port, an ExternalName Service whose
 * name `allowExternalNames` does not allow), and TLS problems (missing
 * or bad Secrets named by `spec.tls`).
 *
 * @throws CliError `SWY_CLI_FILE_UNREADABLE` for a path that does not exist.
 */
export async function check(options: CheckOptions): Promise<CheckResult> {
  await assertReadable(options.files, '-f');
  const config = await readManifestConfig(options.files, options);
  const table = config.compiled.table;
  const diagnostics = [
    ...config.diagnostics,
    ...serviceBackendDiagnostics(table, config.loaded.objects, { allowExternalNames: options.allowExternalNames ?? [] }),
    ...tlsDiagnostics(config, options.ingressClass),
    // The certificates of HTTPS listeners, checked as serve loads them (PEM, key pair, validity).
    ...httpsGatewayPorts(table).flatMap((port) => buildSniTable(gatewayTlsInputs(table, port)).diagnostics),
  ];
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return { diagnostics, counts, ok: counts.error === 0 && !(options.strict === true && counts.warning > 0), status: config.servesGatewayApi ? table.gatewayStatus : undefined };
}
