import { SwitchyardError, type ErrorSubject } from '@switchyard/core';

/**
 * Every error code `@switchyard/tls` throws or reports, in one registry (the same style as
 * core's `ERROR_CODES`). `packages/tls/README.md` lists each with its cause and fix; a test
 * keeps the two in step.
 */
export const TLS_ERROR_CODES = {
  // Thrown: API misuse.
  SWY_TLS_INVALID_OPTIONS: 'A CertificateStore was given inputs of the wrong shape (thrown; the field is named).',
  // Thrown by loadPemFiles(), reported as diagnostics by the store, or emitted by a TLS server (each entry says which).
  SWY_TLS_FILE_UNREADABLE: 'loadPemFiles() could not read a certificate or key file (thrown; the file is named).',
  SWY_TLS_SECRET_NOT_FOUND: 'An Ingress spec.tls entry names a Secret that does not exist in its namespace (or is not of type kubernetes.io/tls, which a cluster source does not read); its hosts get the default certificate.',
  SWY_TLS_SECRET_WRONG_TYPE: 'A Secret named by spec.tls is not of type kubernetes.io/tls; its hosts get the default certificate.',
  SWY_TLS_PEM_INVALID: 'A certificate or key (Secret tls.crt / tls.key, or a PEM file) does not parse; its hosts get the default certificate.',
  SWY_TLS_KEY_MISMATCH: 'The private key does not belong to the certificate; its hosts get the default certificate.',
  SWY_TLS_CERT_EXPIRED: 'The certificate is past its notAfter; its hosts get the default certificate.',
  SWY_TLS_CERT_NOT_YET_VALID: 'The certificate is before its notBefore; its hosts get the default certificate.',
  SWY_TLS_HOST_NOT_IN_CERTIFICATE: 'A host the certificate is to serve is not among its DNS subjectAltNames; clients will reject it (served anyway).',
  SWY_TLS_HOST_CONFLICT: 'Two certificates claim the same host; the older Ingress (then the PEM certificates in order) keeps it.',
  SWY_TLS_NO_HOSTS: 'A spec.tls entry lists no hosts and its Ingress rules name none, or a PEM certificate has no hosts and no DNS subjectAltName; it serves nothing.',
  SWY_TLS_NO_SECRET_NAME: 'A spec.tls entry names no secretName; its hosts are TLS hosts served with the default certificate.',
  SWY_TLS_UNKNOWN_SERVERNAME: 'A TLS client asked (SNI) for a name no certificate serves and there is no default certificate; the handshake is aborted.',
} as const;

/** A stable `SWY_TLS_*` error or problem code. */
export type TlsErrorCode = keyof typeof TLS_ERROR_CODES;

/** The options a `TlsError` can carry besides its code and message. */
export interface TlsErrorOptions {
  /** The input or argument at fault (`certificates[1].hosts`, `certFile`, `servername`). */
  readonly field?: string;
  /** The file a `SWY_TLS_FILE_UNREADABLE` is about (`{ kind: 'File', name: path }`). */
  readonly subject?: ErrorSubject;
  readonly cause?: unknown;
}

/**
 * The error `@switchyard/tls` throws, for API misuse and unreadable files (problems in
 * certificates, Secrets and spec.tls entries are diagnostics, never thrown), and the error a
 * TLS server emits for an SNI name nothing serves: core's `SwitchyardError` with a
 * `SWY_TLS_*` code, so `err instanceof SwitchyardError` and `isSwitchyardError(err)` hold;
 * test the code with `isTlsError(err, 'SWY_TLS_...')`.
 */
export class TlsError extends SwitchyardError<TlsErrorCode> {
  constructor(code: TlsErrorCode, message: string, options: TlsErrorOptions = {}) {
    super(code, message, options);
  }
}

/** True for an error of `@switchyard/tls`, optionally of one code. */
export function isTlsError(value: unknown, code?: TlsErrorCode): value is TlsError {
  return (
    value instanceof SwitchyardError &&
    typeof value.code === 'string' &&
    Object.hasOwn(TLS_ERROR_CODES, value.code) &&
    (code === undefined || value.code === code)
  );
}
