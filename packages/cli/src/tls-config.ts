import type { IngressClass } from '@switchyard/core';
import { buildSniTable, loadPemFiles, type PemCertificate, type TlsInputs } from '@switchyard/tls';
import { assertReadable, type AnyDiagnostic, type ManifestConfig } from './manifest-config.js';

/** The PEM files of the default certificate (`--tls-cert`, `--tls-key`). */
export interface CertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** What a `CertificateStore` is built from when serving files: spec.tls of the Ingresses in scope and the Secrets beside them. */
export function fileTlsInputs(config: ManifestConfig, ingressClass: string | undefined, defaultCertificate: PemCertificate | undefined): TlsInputs {
  return {
    ingresses: config.ingresses,
    ingressClasses: config.loaded.ingressClasses as IngressClass[],
    secrets: config.secrets,
    ...(ingressClass === undefined ? {} : { ingressClass }),
    ...(defaultCertificate === undefined ? {} : { defaultCertificate }),
  };
}

/**
 * The TLS problems `serve` would meet with these files: a spec.tls entry naming a Secret that
 * is missing, of the wrong type, or holding a bad, mismatched or expired certificate. Runs
 * the TLS compile step alone, so `check` loads no server code.
 */
export function tlsDiagnostics(config: ManifestConfig, ingressClass: string | undefined): AnyDiagnostic[] {
  return buildSniTable(fileTlsInputs(config, ingressClass, undefined)).diagnostics;
}

/**
 * Reads the default certificate's files.
 *
 * @throws CliError `SWY_CLI_FILE_UNREADABLE` naming `--tls-cert` or `--tls-key`.
 */
export async function loadDefaultCertificate(files: CertificateFiles): Promise<PemCertificate> {
  await assertReadable([files.certFile], '--tls-cert');
  await assertReadable([files.keyFile], '--tls-key');
  return loadPemFiles(files.certFile, files.keyFile);
}
