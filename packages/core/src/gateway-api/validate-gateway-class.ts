import { CONTROLLER_NAME } from './api-formats.js';
import { withGatewayClassDefaults } from './crd-defaults.js';
import type { FieldChecks } from './field-checks.js';
import type { GatewayClass } from './model.js';
import { GATEWAY_API_VERSIONS, validateObject, type ObjectKind } from './validate-object.js';
import { checkReference } from './validate-reference.js';
import type { Validated } from './validated.js';

const GATEWAY_CLASS: ObjectKind = {
  kind: 'GatewayClass',
  apiVersions: GATEWAY_API_VERSIONS,
  namespaced: false,
  name: 'subdomain',
  fieldCode: 'SWY_GATEWAYCLASS_FIELD_INVALID',
};

/**
 * Validates a GatewayClass as the API server does (the CRD's schema): `spec.controllerName`
 * a domain-prefixed path, `description` up to 64 characters, `parametersRef` a full reference.
 * Never throws; see `Validated`.
 */
export function validateGatewayClass(input: unknown): Validated<GatewayClass> {
  return validateObject(input, GATEWAY_CLASS, validateBody, withGatewayClassDefaults);
}

function validateBody(object: Record<string, unknown>, checks: FieldChecks): void {
  const spec = checks.record(object.spec, 'spec', { required: true });
  if (spec === undefined) return;
  checks.string(spec.controllerName, 'spec.controllerName', CONTROLLER_NAME, { required: true });
  checks.string(spec.description, 'spec.description', { maxLength: 64 });
  checkReference(spec.parametersRef, 'spec.parametersRef', checks, { groupKindRequired: true, namespace: true });
}
