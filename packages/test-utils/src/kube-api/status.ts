import { qualifiedNameOf, type ResourceType } from './resources.js';
import type { KubeStatus } from './types.js';

/** The reasons the fixture answers with, as `metav1.StatusReason` spells them. */
export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'UnsupportedMediaType'
  | 'Expired'
  | 'Gone'
  | 'TooManyRequests'
  | 'InternalError'
  | 'MethodNotAllowed'
  | 'Timeout'
  | 'ServiceUnavailable';

/** Builds a failure `Status` object the way the API server shapes one. */
export function failureStatus(code: number, reason: StatusReason | string, message: string, details?: Record<string, unknown>): KubeStatus {
  const status: KubeStatus = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return status;
}

/** The answer for a path no served resource lives at: an unknown group, version or type (a CRD not installed). */
export function unknownResource(): KubeStatus {
  return failureStatus(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** `ingresses.networking.k8s.io "web" not found`. */
export function objectNotFound(resource: ResourceType, name: string): KubeStatus {
  return failureStatus(404, 'NotFound', `${qualifiedNameOf(resource)} "${name}" not found`, objectDetails(resource, name));
}

/** A create of a name that is taken. */
export function alreadyExists(resource: ResourceType, name: string): KubeStatus {
  return failureStatus(409, 'AlreadyExists', `${qualifiedNameOf(resource)} "${name}" already exists`, objectDetails(resource, name));
}

const MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

/**
 * A write whose precondition failed, by default an update from a stale resourceVersion. The
 * message is the real server's word for word, since clients log it and some match on it.
 */
export function conflict(resource: ResourceType, name: string, why = MODIFIED): KubeStatus {
  return failureStatus(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedNameOf(resource)} "${name}": ${why}`, objectDetails(resource, name));
}

/** A 422 naming the invalid field, as `Gateway.gateway.networking.k8s.io "x" is invalid: <field>: <problem>`. */
export function invalid(resource: ResourceType, name: string, field: string, problem: string): KubeStatus {
  const kind = resource.group === '' ? resource.kind : `${resource.kind}.${resource.group}`;
  return failureStatus(422, 'Invalid', `${kind} "${name}" is invalid: ${field}: ${problem}`, {
    ...objectDetails(resource, name),
    kind: resource.kind,
    causes: [{ reason: 'FieldValueInvalid', message: problem, field }],
  });
}

/** The `Success` Status a delete answers with for built-in types that do not return the deleted object. */
export function deleted(resource: ResourceType, name: string, uid: string | undefined): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { ...objectDetails(resource, name), ...(uid ? { uid } : {}) } };
}

/** The reason the API server gives for a status code when nothing more specific applies. */
export function reasonForCode(code: number): string {
  switch (code) {
    case 400: return 'BadRequest';
    case 404: return 'NotFound';
    case 405: return 'MethodNotAllowed';
    case 409: return 'Conflict';
    case 410: return 'Expired';
    case 415: return 'UnsupportedMediaType';
    case 422: return 'Invalid';
    case 429: return 'TooManyRequests';
    case 503: return 'ServiceUnavailable';
    case 504: return 'Timeout';
    default: return code >= 500 ? 'InternalError' : 'BadRequest';
  }
}

function objectDetails(resource: ResourceType, name: string): Record<string, unknown> {
  return { name, group: resource.group, kind: resource.plural };
}
