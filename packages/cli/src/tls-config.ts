import type { IngressClass } from '@switchyard/core';
import type { PemCertificate, TlsInputs } from '@switchyard/fastify';
import { assertReadable, type AnyDiagnostic, type ManifestConfig } from './manifest-config.js';

/** The PEM files of the default certificate (`--tls-cert`, `--tls-key`). */
export interface CertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** What a `CertificateStore` is built from when serving files: spec.tls of the Ingresses in scope and the Secrets beside them. */
export function fileTlsInputs(config: ManifestConfig, ingressClass: string | undefined, defaultCertificate: PemCertificate | undefined): TlsInputs {
  return {
    ingresses: config.loaded.ingresses,
    ingressClasses: config.loaded.ingressClasses as IngressClass[],
    secrets: config.secrets,
    ...(ingressClass === undefined ? {} : { ingressClass }),
    ...(defaultCertificate === undefined ? {} : { defaultCertificate }),
  };
}

/**
 * The TLS problems `serve` would meet with these files: a spec.tls entry naming a Secret that
 * is missing, of the wrong type, or holding a bad, mismatched or expired certificate.
 * Fastify's package is only loaded when some Ingress asks for TLS.
 */
export async function tlsDiagnostics(config: ManifestConfig, ingressClass: string | undefined): Promise<AnyDiagnostic[]> {
  if (!config.loaded.ingresses.some((ingress) => Array.isArray(ingress.spec?.tls) && ingress.spec.tls.length > 0)) return [];
  const { CertificateStore } = await import('@switchyard/fastify');
  return [...new CertificateStore(fileTlsInputs(config, ingressClass, undefined)).diagnostics];
}

/**
 * Reads the default certificate's files.
 *
 * @throws CliError `SWY_CLI_FILE_UNREADABLE` naming `--tls-cert` or `--tls-key`.
 */
export async function loadDefaultCertificate(files: CertificateFiles): Promise<PemCertificate> {
  await assertReadable([files.certFile], '--tls-cert');
  await assertReadable([files.keyFile], '--tls-key');
  const { loadPemFiles } = await import('@switchyard/fastify');
  return loadPemFiles(files.certFile, files.keyFile);
}
