import { SwitchyardError, defineErrorCodes, type ErrorSubject } from '@switchyard/core';

/**
 * Every error code `@switchyard/tls` throws or reports, in one registry (core's
 * `defineErrorCodes` shape). `docs/errors.md` is generated from it; a test keeps the two in step.
 */
export const TLS_ERROR_CODES = defineErrorCodes({
  // Thrown: API misuse.
  SWY_TLS_INVALID_OPTIONS: {
    summary: 'A CertificateStore was given inputs of the wrong shape (thrown; the field is named).',
    reaches: { as: 'thrown', via: 'by `new CertificateStore()` and `update()`', field: '`field` names the input' },
    cause: 'a CertificateStore was given inputs of the wrong shape: a list that is not an array, an empty ingressClass, a certificate that is not an object.',
    fix: 'Pass the inputs as `TlsInputs` describes them; the store is left as it was.',
  },
  // Thrown by loadPemFiles(), reported as diagnostics by the store, or emitted by a TLS server (each entry says which).
  SWY_TLS_FILE_UNREADABLE: {
    summary: 'loadPemFiles() could not read a certificate or key file (thrown; the file is named).',
    reaches: { as: 'thrown', via: 'by `loadPemFiles()`', field: '`field` is `certFile` or `keyFile`, `subject.name` the path' },
    cause: 'a certificate or key file cannot be read.',
    fix: "Fix the path or the file's permissions.",
  },
  SWY_TLS_SECRET_NOT_FOUND: {
    summary: 'An Ingress spec.tls entry names a Secret that does not exist in its namespace (or is not of type kubernetes.io/tls, which a cluster source does not read); its hosts get the default certificate.',
    reaches: { as: 'diagnostic', severity: 'error', field: '`field: spec.tls[i].secretName`', note: 'reported on the Ingress; its hosts get the default certificate' },
    cause: "no Secret of that name in the Ingress's namespace (a cluster source reads only `kubernetes.io/tls` Secrets).",
    fix: "Create the Secret in the Ingress's namespace, of type `kubernetes.io/tls`.",
  },
  SWY_TLS_SECRET_WRONG_TYPE: {
    summary: 'A Secret named by spec.tls is not of type kubernetes.io/tls; its hosts get the default certificate.',
    reaches: { as: 'diagnostic', severity: 'error', field: '`field: type`', note: 'reported on the Secret; its hosts get the default certificate' },
    cause: 'the Secret is not of type `kubernetes.io/tls`.',
    fix: 'Recreate the Secret with `type: kubernetes.io/tls` (`kubectl create secret tls`).',
  },
  SWY_TLS_PEM_INVALID: {
    summary: 'A certificate or key (Secret tls.crt / tls.key, or a PEM file) does not parse; its hosts get the default certificate.',
    reaches: { as: 'diagnostic', severity: 'error', field: '`field` is `data[tls.crt]`, `stringData[tls.key]`, ..., or `cert`/`key` for a PEM file', note: 'its hosts get the default certificate' },
    cause: '`tls.crt`/`tls.key` or a PEM file is missing or does not parse (an encrypted key too).',
    fix: 'Put the PEM certificate chain and an unencrypted PEM key there.',
  },
  SWY_TLS_KEY_MISMATCH: {
    summary: 'The private key does not belong to the certificate; its hosts get the default certificate.',
    reaches: { as: 'diagnostic', severity: 'error', field: '`field: data[tls.key]` or `key`', note: 'its hosts get the default certificate' },
    cause: 'the key does not belong to the certificate.',
    fix: 'Pair the certificate with its own key.',
  },
  SWY_TLS_CERT_EXPIRED: {
    summary: 'The certificate is past its notAfter; its hosts get the default certificate.',
    reaches: { as: 'diagnostic', severity: 'error', field: '`field: data[tls.crt]` or `cert`', note: 'its hosts get the default certificate' },
    cause: 'the certificate is past its notAfter when the store was last updated.',
    fix: 'Renew the certificate.',
  },
  SWY_TLS_CERT_NOT_YET_VALID: {
    summary: 'The certificate is before its notBefore; its hosts get the default certificate.',
    reaches: { as: 'diagnostic', severity: 'error', field: '`field: data[tls.crt]` or `cert`', note: 'its hosts get the default certificate' },
    cause: 'the certificate is before its notBefore.',
    fix: "Check the issuer's and this machine's clocks; update again once it is valid.",
  },
  SWY_TLS_HOST_NOT_IN_CERTIFICATE: {
    summary: 'A host the certificate is to serve is not among its DNS subjectAltNames; clients will reject it (served anyway).',
    reaches: { as: 'diagnostic', severity: 'warning' },
    cause: "a host of a spec.tls entry (or given with a PEM certificate) is not among the certificate's DNS subjectAltNames; it is served anyway and clients will reject it.",
    fix: 'Issue a certificate for the host, or list the right hosts.',
  },
  SWY_TLS_HOST_CONFLICT: {
    summary: 'Two certificates claim the same host; the older Ingress (then the PEM certificates in order) keeps it.',
    reaches: { as: 'diagnostic', severity: 'warning', note: '`related` names the winner' },
    cause: 'two different certificates claim one host; the older Ingress keeps it (then PEM certificates in the order given).',
    fix: 'Keep one certificate per host.',
  },
  SWY_TLS_NO_HOSTS: {
    summary: 'A spec.tls entry lists no hosts and its Ingress rules name none, or a PEM certificate has no hosts and no DNS subjectAltName; it serves nothing.',
    reaches: { as: 'diagnostic', severity: 'warning' },
    cause: 'a spec.tls entry without `hosts` on an Ingress whose rules name no host, or a PEM certificate with no hosts and no DNS subjectAltName; it serves nothing.',
    fix: 'List the hosts.',
  },
  SWY_TLS_NO_SECRET_NAME: {
    summary: 'A spec.tls entry names no secretName; its hosts are TLS hosts served with the default certificate.',
    reaches: { as: 'diagnostic', severity: 'warning', field: '`field: spec.tls[i].secretName`' },
    cause: 'no `secretName` given; the hosts are TLS hosts served with the default certificate.',
    fix: 'Name the Secret, or give a default certificate that covers the hosts.',
  },
  SWY_TLS_UNKNOWN_SERVERNAME: {
    summary: 'A TLS client asked (SNI) for a name no certificate serves and there is no default certificate; the handshake is aborted.',
    reaches: { as: 'reported', via: "as the error a TLS server emits as `tlsClientError`", note: 'the handshake is aborted (the client sees a reset)' },
    cause: "a client's SNI names no served host and there is no default certificate.",
    fix: 'Serve a certificate for that name, or give a default certificate.',
  },
});

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
