import { GROUP, KIND, NAMESPACE, OBJECT_NAME } from './api-formats.js';
import type { FieldChecks } from './field-checks.js';

export interface ReferenceShape {
  /** The reference itself must be there. */
  readonly required?: boolean;
  /** `group` and `kind` are required (no CRD default). */
  readonly groupKindRequired?: boolean;
  /** A `namespace` field is part of the reference. */
  readonly namespace?: boolean;
  /** A `port` field (1-65535) is part of the reference. */
  readonly port?: boolean;
}

/**
 * The shared fields of the API's object references (`LocalObjectReference`,
 * `SecretObjectReference`, `BackendObjectReference`, `ParametersReference`): group, kind,
 * name, and where the shape has them namespace and port. Returns the reference when it is an
 * object, for the checks the caller adds.
 */
export function checkReference(value: unknown, field: string, checks: FieldChecks, shape: ReferenceShape = {}): Record<string, unknown> | undefined {
  const ref = checks.record(value, field, { required: shape.required === true });
  if (ref === undefined) return undefined;
  const groupKindRequired = { required: shape.groupKindRequired === true };
  checks.string(ref.group, `${field}.group`, GROUP, groupKindRequired);
  checks.string(ref.kind, `${field}.kind`, KIND, groupKindRequired);
  checks.string(ref.name, `${field}.name`, OBJECT_NAME, { required: true });
  if (shape.namespace === true) checks.string(ref.namespace, `${field}.namespace`, NAMESPACE);
  if (shape.port === true) checks.integer(ref.port, `${field}.port`, { min: 1, max: 65535 });
  return ref;
}

/**
 * The CEL rule of `BackendObjectReference`: a reference to a core Service (group `''` and kind
 * `Service`, the defaults) must name a port.
 */
export function checkServicePort(ref: Record<string, unknown>, field: string, checks: FieldChecks): void {
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Service';
  if (group === '' && kind === 'Service' && (ref.port === undefined || ref.port === null)) {
    checks.problem(`${field}.port`, 'Must have port for Service reference');
  }
}
