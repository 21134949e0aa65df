import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { compile, type CompileResult, type Diagnostic, type Ingress, type LoadedManifests, type Secret } from '@switchyard/core';
import { loadManifestFiles } from '@switchyard/core/files';
import { CliError } from './errors.js';
import type { KeptIngress, LastValidIngresses } from './last-valid-ingresses.js';

/**
 * A diagnostic of any Switchyard package: core's shape, with a code from core's registry or
 * another's (`SWY_TLS_*` from the certificate store).
 */
export type AnyDiagnostic = Omit<Diagnostic, 'code'> & { readonly code: string };

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
  /** Loading problems first (file, document), then compile's. */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * True when a file could not be read or a document did not parse (or was no Kubernetes
   * object): what loaded is only part of what the files say, so `serve` does not apply it.
   */
  readonly incomplete: boolean;
}

/** Reads and compiles manifest files and directories (`.yaml`, `.yml`, `.json`). */
export async function readManifestConfig(files: readonly string[], ingressClass: string | undefined): Promise<ManifestConfig> {
  return compileManifests(await loadManifestFiles(files), ingressClass);
}

/**
 * Compiles what `loadManifestFiles` (or a watch) loaded. With `lastValid` (serve), an Ingress whose
 * new version fails validation compiles at its last valid version, and its errors are reported
 * all the same; a load that is incomplete is not applied, so it leaves `lastValid` as it was.
 */
export function compileManifests(loaded: LoadedManifests, ingressClass: string | undefined, lastValid?: LastValidIngresses): ManifestConfig {
  const incomplete = loaded.diagnostics.some((d) => d.severity === 'error');
  const selected = incomplete ? undefined : lastValid?.select(loaded.ingresses, ingressClass, loaded.ingressClasses);
  const ingresses = selected?.ingresses ?? loaded.ingresses;
  const compiled = compile({ ingresses, ingressClasses: loaded.ingressClasses, ...(ingressClass === undefined ? {} : { ingressClass }) });
  return {
    loaded,
    ingresses,
    kept: selected?.kept ?? [],
    compiled,
    secrets: loaded.objects.filter((object) => object.kind === 'Secret' && object.apiVersion === 'v1') as unknown as Secret[],
    diagnostics: [...loaded.diagnostics, ...(selected?.diagnostics ?? []), ...compiled.diagnostics],
    incomplete,
  };
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
