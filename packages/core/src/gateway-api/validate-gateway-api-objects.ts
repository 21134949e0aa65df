import type { Diagnostic } from '../diagnostics.js';
import { manifestSourceOf } from '../manifests/manifest-source.js';
import type { Gateway, GatewayClass, GRPCRoute, HTTPRoute, Namespace, ReferenceGrant } from './model.js';
import { validateGateway } from './validate-gateway.js';
import { validateGatewayClass } from './validate-gateway-class.js';
import { validateGRPCRoute } from './validate-grpc-route.js';
import { validateHTTPRoute } from './validate-http-route.js';
import { validateNamespace } from './validate-namespace.js';
import { objectNameOf } from './validate-object.js';
import { validateReferenceGrant } from './validate-reference-grant.js';
import type { Validated, ValidObject } from './validated.js';
import { runSteps, type Steps } from '../steps.js';
import type { GatewayReuseStep, ValidationEntry } from './gateway-api-reuse.js';

/** The Gateway API objects (and Namespaces) to validate, each list as parsed; a missing list is none. */
export interface GatewayApiObjectsInput {
  readonly gatewayClasses?: readonly unknown[] | undefined;
  readonly gateways?: readonly unknown[] | undefined;
  readonly httpRoutes?: readonly unknown[] | undefined;
  readonly grpcRoutes?: readonly unknown[] | undefined;
  readonly referenceGrants?: readonly unknown[] | undefined;
  readonly namespaces?: readonly unknown[] | undefined;
}

/** The valid objects of each kind, defaults applied, in input order; and every problem found. */
export interface ValidatedGatewayApiObjects {
  readonly gatewayClasses: ValidObject<GatewayClass>[];
  readonly gateways: ValidObject<Gateway>[];
  readonly httpRoutes: ValidObject<HTTPRoute>[];
  readonly grpcRoutes: ValidObject<GRPCRoute>[];
  readonly referenceGrants: ValidObject<ReferenceGrant>[];
  readonly namespaces: ValidObject<Namespace>[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Validates every object of `input` with its kind's validator and keeps the valid ones. Of two
 * valid objects of one kind with the same name (and namespace), the first is kept and the
 * second reported as `SWY_GATEWAY_API_DUPLICATE`. Never throws on the objects' content.
 */
export function validateGatewayApiObjects(input: GatewayApiObjectsInput): ValidatedGatewayApiObjects {
  return runSteps(validateGatewayApiObjectSteps(input));
}

/**
 * `validateGatewayApiObjects` as steps, one object validated per step (for `compileInSlices`).
 * With `reuse`, an object validated by the last compile (the same object) is not validated again.
 */
export function* validateGatewayApiObjectSteps(input: GatewayApiObjectsInput, reuse?: GatewayReuseStep): Steps<ValidatedGatewayApiObjects> {
  const diagnostics: Diagnostic[] = [];
  const all = <T>(objects: readonly unknown[] | undefined, validate: (input: unknown) => Validated<T>, namespaced: boolean) => validateAll(objects, validate, namespaced, diagnostics, reuse);
  return {
    gatewayClasses: yield* all(input.gatewayClasses, validateGatewayClass, false),
    gateways: yield* all(input.gateways, validateGateway, true),
    httpRoutes: yield* all(input.httpRoutes, validateHTTPRoute, true),
    grpcRoutes: yield* all(input.grpcRoutes, validateGRPCRoute, true),
    referenceGrants: yield* all(input.referenceGrants, validateReferenceGrant, true),
    namespaces: yield* all(input.namespaces, validateNamespace, false),
    diagnostics,
  };
}

function* validateAll<T>(
  objects: readonly unknown[] | undefined,
  validate: (input: unknown) => Validated<T>,
  namespaced: boolean,
  diagnostics: Diagnostic[],
  reuse: GatewayReuseStep | undefined,
): Steps<ValidObject<T>[]> {
  const valid: ValidObject<T>[] = [];
  if (!Array.isArray(objects)) return valid;
  const seen = new Set<string>();
  for (const input of objects) {
    let entry = reuse?.before?.validations.get(input) as ValidationEntry<T> | undefined;
    if (entry === undefined) {
      entry = { validated: validate(input), id: objectNameOf(input, namespaced) };
      yield;
    }
    reuse?.now.validations.set(input, entry);
    const { validated, id } = entry;
    if (validated.diagnostics.length > 0) diagnostics.push(...validated.diagnostics);
    if (validated.object === undefined) continue;
    if (seen.has(id)) {
      const source = manifestSourceOf(input, 'metadata.name');
      const kind = (input as { kind?: unknown }).kind;
      diagnostics.push({
        code: 'SWY_GATEWAY_API_DUPLICATE',
        severity: 'error',
        object: id,
        field: 'metadata.name',
        message: `${typeof kind === 'string' ? `${kind} ` : ''}${id} appears twice in the input; the first one is kept`,
        ...(source ? { source } : {}),
      });
      continue;
    }
    seen.add(id);
    valid.push(validated as ValidObject<T>);
  }
  return valid;
}
