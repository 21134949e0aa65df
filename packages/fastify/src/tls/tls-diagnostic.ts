import type { Diagnostic } from '@switchyard/core';
import type { FastifyErrorCode } from '../errors.js';

/** The diagnostic codes of the TLS store: the `SWY_TLS_*` part of the plugin's registry. */
export type TlsDiagnosticCode = Extract<FastifyErrorCode, `SWY_TLS_${string}`>;

/**
 * A problem with a certificate, a Secret or a spec.tls entry: core's diagnostic shape
 * (`{ code, severity, object, field, message }`) with a `SWY_TLS_*` code, which core's own
 * code type does not list.
 */
export interface TlsDiagnostic extends Omit<Diagnostic, 'code'> {
  readonly code: TlsDiagnosticCode;
}
