import { withNamespaceDefaults } from './crd-defaults.js';
import type { Namespace } from './model.js';
import { validateObject, type ObjectKind } from './validate-object.js';
import type { Validated } from './validated.js';

const NAMESPACE_KIND: ObjectKind = {
  kind: 'Namespace',
  apiVersions: ['v1'],
  namespaced: false,
  name: 'label',
  fieldCode: 'SWY_GATEWAY_API_METADATA_INVALID',
};

/**
 * Validates a core/v1 Namespace's metadata (its name an RFC 1123 label, its labels valid),
 * which `allowedRoutes.namespaces.selector` reads. Never throws; see `Validated`.
 */
export function validateNamespace(input: unknown): Validated<Namespace> {
  return validateObject(input, NAMESPACE_KIND, () => {}, withNamespaceDefaults);
}
