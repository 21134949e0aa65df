import type { Diagnostic } from '../diagnostics.js';
import type { ErrorCode } from '../errors.js';
import { DEFAULT_NAMESPACE } from '../ingress/object-ref.js';
import { manifestSourceOf } from '../manifests/manifest-source.js';
import { FieldChecks, isRecord, quote, type Report } from './field-checks.js';
import { GATEWAY_API_GROUP } from './model.js';
import { validateObjectMeta, type NameRule } from './validate-object-meta.js';
import type { Validated } from './validated.js';

/**
 * The versions the API server serves the Gateway API kinds in: `v1beta1` is the same schema as
 * `v1` for GatewayClass, Gateway, HTTPRoute and ReferenceGrant.
 */
export const GATEWAY_API_VERSIONS: readonly string[] = Object.freeze([`${GATEWAY_API_GROUP}/v1`, `${GATEWAY_API_GROUP}/v1beta1`]);

/** What the shared part of validation needs to know of a kind. */
export interface ObjectKind {
  readonly kind: string;
  /** The `apiVersion`s accepted; an object without one (written in code) is taken as the first. */
  readonly apiVersions: readonly string[];
  readonly namespaced: boolean;
  readonly name: NameRule;
  /** The code of type and schema problems of this kind. */
  readonly fieldCode: ErrorCode;
}

/**
 * Validates one object of `kind`: apiVersion and kind, metadata, then `validateBody` on the
 * whole object; when nothing was reported, `withDefaults` makes the object the API server
 * would have stored. Never throws on any input.
 */
export function validateObject<T>(
  input: unknown,
  kind: ObjectKind,
  validateBody: (object: Record<string, unknown>, checks: FieldChecks) => void,
  withDefaults: (valid: T) => T,
): Validated<T> {
  const diagnostics: Diagnostic[] = [];
  const object = objectNameOf(input, kind.namespaced);
  const report: Report = (code, field, message) => {
    // The line of the field itself, where the object was read from a file.
    const source = manifestSourceOf(input, field);
    diagnostics.push({ code, severity: 'error', object, field, message, ...(source ? { source } : {}) });
  };
  const checks = new FieldChecks(report, kind.fieldCode);
  if (!isRecord(input)) {
    checks.problem('', `a ${kind.kind} must be an object`);
    return { object: undefined, original: input, diagnostics };
  }
  const versionChecks = checks.as('SWY_GATEWAY_API_VERSION_UNSUPPORTED');
  const { apiVersion, kind: kindName } = input;
  if (apiVersion != null && !(kind.apiVersions as readonly unknown[]).includes(apiVersion)) {
    versionChecks.problem('apiVersion', `${quote(apiVersion)} is not served for ${kind.kind}: use ${kind.apiVersions.map((v) => JSON.stringify(v)).join(' or ')}`);
  }
  if (kindName != null && kindName !== kind.kind) versionChecks.problem('kind', `${quote(kindName)}: expected ${JSON.stringify(kind.kind)}`);
  validateObjectMeta(input.metadata, checks.as('SWY_GATEWAY_API_METADATA_INVALID'), kind);
  validateBody(input, checks);
  return { object: diagnostics.length === 0 ? withDefaults(input as T) : undefined, original: input, diagnostics };
}

/**
 * How diagnostics name an object: `namespace/name` (no namespace is `default`), or the name
 * alone for cluster-scoped kinds (GatewayClass, Namespace).
 */
export function objectNameOf(input: unknown, namespaced: boolean): string {
  const metadata = isRecord(input) && isRecord(input.metadata) ? input.metadata : undefined;
  const name = typeof metadata?.name === 'string' && metadata.name !== '' ? metadata.name : '<unnamed>';
  if (!namespaced) return name;
  const namespace = typeof metadata?.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : DEFAULT_NAMESPACE;
  return `${namespace}/${name}`;
}
