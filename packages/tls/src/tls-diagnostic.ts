import type { Diagnostic } from '@switchyard/core';
import type { TlsErrorCode } from './errors.js';

/** The codes a TLS server emits or a call throws, never reported as a diagnostic. */
type ThrownTlsErrorCode = 'SWY_TLS_INVALID_OPTIONS' | 'SWY_TLS_FILE_UNREADABLE' | 'SWY_TLS_UNKNOWN_SERVERNAME';

/** The diagnostic codes of the TLS store: the `SWY_TLS_*` codes of the registry that are not only thrown. */
export type TlsDiagnosticCode = Exclude<TlsErrorCode, ThrownTlsErrorCode>;

/**
 * A problem with a certificate, a Secret or a spec.tls entry: core's diagnostic shape
 * (`{ code, severity, object, field, message }`) with a `SWY_TLS_*` code, which core's own
 * code type does not list.
 */
export interface TlsDiagnostic extends Omit<Diagnostic, 'code'> {
  readonly code: TlsDiagnosticCode;
}
