import type { KubeStatus } from './types.js';

/** The reasons the fixture answers with, as `metav1.StatusReason` spells them. */
export type StatusReason = 'NotFound' | 'BadRequest' | 'Expired' | 'Gone' | 'TooManyRequests' | 'InternalError' | 'MethodNotAllowed' | 'Timeout' | 'ServiceUnavailable';

/** Builds a failure `Status` object the way the API server shapes one. */
export function failureStatus(code: number, reason: StatusReason | string, message: string, details?: Record<string, unknown>): KubeStatus {
  const status: KubeStatus = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return status;
}

/** The reason the API server gives for a status code when nothing more specific applies. */
export function reasonForCode(code: number): string {
  switch (code) {
    case 400: return 'BadRequest';
    case 404: return 'NotFound';
    case 405: return 'MethodNotAllowed';
    case 409: return 'Conflict';
    case 410: return 'Expired';
    case 429: return 'TooManyRequests';
    case 503: return 'ServiceUnavailable';
    case 504: return 'Timeout';
    default: return code >= 500 ? 'InternalError' : 'BadRequest';
  }
}
