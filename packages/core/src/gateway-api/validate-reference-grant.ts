import { GROUP, KIND, NAMESPACE, OBJECT_NAME } from './api-formats.js';
import { withReferenceGrantDefaults } from './crd-defaults.js';
import type { FieldChecks } from './field-checks.js';
import type { ReferenceGrant } from './model.js';
import { GATEWAY_API_VERSIONS, validateObject, type ObjectKind } from './validate-object.js';
import type { Validated } from './validated.js';

const REFERENCE_GRANT: ObjectKind = {
  kind: 'ReferenceGrant',
  apiVersions: GATEWAY_API_VERSIONS,
  namespaced: true,
  name: 'subdomain',
  fieldCode: 'SWY_REFERENCEGRANT_FIELD_INVALID',
};

/**
 * Validates a ReferenceGrant (`v1` or `v1beta1`, one schema) as the API server does: `from`
 * and `to` each 1 to 16 entries; `from` needs group, kind and namespace, `to` group and kind.
 * Never throws; see `Validated`.
 */
export function validateReferenceGrant(input: unknown): Validated<ReferenceGrant> {
  return validateObject(input, REFERENCE_GRANT, validateBody, withReferenceGrantDefaults);
}

function validateBody(object: Record<string, unknown>, checks: FieldChecks): void {
  const spec = checks.record(object.spec, 'spec', { required: true });
  if (spec === undefined) return;
  checks.list(spec.from, 'spec.from', { required: true, min: 1, max: 16 })?.forEach((entry, i) => {
    const field = `spec.from[${i}]`;
    const from = checks.record(entry, field, { required: true });
    if (from === undefined) return;
    checks.string(from.group, `${field}.group`, GROUP, { required: true });
    checks.string(from.kind, `${field}.kind`, KIND, { required: true });
    checks.string(from.namespace, `${field}.namespace`, NAMESPACE, { required: true });
  });
  checks.list(spec.to, 'spec.to', { required: true, min: 1, max: 16 })?.forEach((entry, i) => {
    const field = `spec.to[${i}]`;
    const to = checks.record(entry, field, { required: true });
    if (to === undefined) return;
    checks.string(to.group, `${field}.group`, GROUP, { required: true });
    checks.string(to.kind, `${field}.kind`, KIND, { required: true });
    checks.string(to.name, `${field}.name`, OBJECT_NAME);
  });
}
