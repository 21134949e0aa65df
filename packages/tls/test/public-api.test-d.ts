// The public types of @switchyard/tls. Type-checked by `tsc -b` (see vitest.config.ts); a
// change here is a change of the public API.
import type { SecureContext, SecureContextOptions, Server, TlsOptions } from 'node:tls';
import type { Diagnostic, ErrorSubject, Ingress, IngressClass, Secret, SwitchyardError } from '@switchyard/core';
import {
  CertificateStore,
  TLS_ERROR_CODES,
  TlsError,
  buildSniTable,
  isTlsError,
  loadPemFiles,
  type CertificateAssignment,
  type PemCertificate,
  type SniTable,
  type TlsDiagnostic,
  type TlsDiagnosticCode,
  type TlsErrorCode,
  type TlsErrorOptions,
  type TlsInputs,
} from '@switchyard/tls';
import { describe, expectTypeOf, test } from 'vitest';

describe('@switchyard/tls', () => {
  test('inputs', () => {
    expectTypeOf<TlsInputs>().toEqualTypeOf<{
      readonly ingresses?: readonly Ingress[];
      readonly ingressClass?: string;
      readonly ingressClasses?: readonly IngressClass[];
      readonly secrets?: readonly Secret[];
      readonly certificates?: readonly PemCertificate[];
      readonly defaultCertificate?: PemCertificate;
    }>();
    expectTypeOf<PemCertificate>().toEqualTypeOf<{
      readonly cert: string | Buffer;
      readonly key: string | Buffer;
      readonly hosts?: readonly string[];
      readonly source?: string;
    }>();
    expectTypeOf(loadPemFiles).toEqualTypeOf<(certFile: string, keyFile: string, hosts?: readonly string[]) => Promise<PemCertificate>>();
  });

  test('buildSniTable and SniTable', () => {
    expectTypeOf(buildSniTable).toEqualTypeOf<(inputs: TlsInputs, now?: number) => { table: SniTable; diagnostics: TlsDiagnostic[] }>();
    expectTypeOf<SniTable['contextFor']>().toEqualTypeOf<(name: string) => SecureContext | undefined>();
    expectTypeOf<SniTable['isTlsHost']>().toEqualTypeOf<(host: string) => boolean>();
    expectTypeOf<SniTable['assignments']>().toEqualTypeOf<readonly CertificateAssignment[]>();
    expectTypeOf<CertificateAssignment>().toEqualTypeOf<{
      readonly host: string;
      readonly source: string;
      readonly notAfter: string;
      readonly sans: readonly string[];
      readonly fallback: boolean;
    }>();
  });

  test('CertificateStore', () => {
    expectTypeOf(CertificateStore).constructorParameters.toEqualTypeOf<[inputs?: TlsInputs]>();
    expectTypeOf<CertificateStore['update']>().toEqualTypeOf<(inputs: TlsInputs) => TlsDiagnostic[]>();
    expectTypeOf<CertificateStore['diagnostics']>().toEqualTypeOf<readonly TlsDiagnostic[]>();
    expectTypeOf<CertificateStore['serverOptions']>().toEqualTypeOf<() => TlsOptions>();
    expectTypeOf<CertificateStore['attach']>().toEqualTypeOf<(server: Server, base?: SecureContextOptions) => () => void>();
    expectTypeOf<CertificateStore['isTlsHost']>().toEqualTypeOf<(host: string) => boolean>();
    expectTypeOf<CertificateStore['describe']>().toEqualTypeOf<() => readonly CertificateAssignment[]>();
  });

  test('diagnostics', () => {
    expectTypeOf<Omit<TlsDiagnostic, 'code'>>().toEqualTypeOf<Omit<Diagnostic, 'code'>>();
    expectTypeOf<TlsDiagnostic['code']>().toEqualTypeOf<TlsDiagnosticCode>();
    expectTypeOf<TlsDiagnosticCode>().toEqualTypeOf<
      | 'SWY_TLS_SECRET_NOT_FOUND'
      | 'SWY_TLS_SECRET_WRONG_TYPE'
      | 'SWY_TLS_PEM_INVALID'
      | 'SWY_TLS_KEY_MISMATCH'
      | 'SWY_TLS_CERT_EXPIRED'
      | 'SWY_TLS_CERT_NOT_YET_VALID'
      | 'SWY_TLS_HOST_NOT_IN_CERTIFICATE'
      | 'SWY_TLS_HOST_CONFLICT'
      | 'SWY_TLS_NO_HOSTS'
      | 'SWY_TLS_NO_SECRET_NAME'
    >();
  });

  test('errors', () => {
    expectTypeOf<TlsErrorCode>().toEqualTypeOf<keyof typeof TLS_ERROR_CODES>();
    expectTypeOf<TlsErrorCode>().toEqualTypeOf<TlsDiagnosticCode | 'SWY_TLS_INVALID_OPTIONS' | 'SWY_TLS_FILE_UNREADABLE' | 'SWY_TLS_UNKNOWN_SERVERNAME'>();
    expectTypeOf<TlsError>().toMatchTypeOf<SwitchyardError<TlsErrorCode>>();
    expectTypeOf<TlsError['code']>().toEqualTypeOf<TlsErrorCode>();
    expectTypeOf(TlsError).constructorParameters.toEqualTypeOf<[code: TlsErrorCode, message: string, options?: TlsErrorOptions]>();
    expectTypeOf<TlsErrorOptions>().toEqualTypeOf<{ readonly field?: string; readonly subject?: ErrorSubject; readonly cause?: unknown }>();
    expectTypeOf(isTlsError).guards.toEqualTypeOf<TlsError>();
    expectTypeOf(isTlsError).parameters.toEqualTypeOf<[value: unknown, code?: TlsErrorCode]>();
  });
});
