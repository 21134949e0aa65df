import type { GatewayClassStatus } from '@switchyard/core';
import { mergeConditions } from './merge-conditions.js';
import { recordOf, stampOf } from './observed-status.js';
import { GATEWAY_CLASS_CONDITION_TYPES } from './owned-condition-types.js';
import type { GatewayClassStatusDocument, ObservedObject } from './status-documents.js';

/**
 * The `.status` a GatewayClass should have: the compiler's conditions (Accepted) merged into the
 * observed ones, stamped with the class's generation; other fields (`supportedFeatures`) as observed.
 */
export function gatewayClassStatusDocument(status: GatewayClassStatus, observed: ObservedObject, now: Date): GatewayClassStatusDocument {
  const current = recordOf(observed.status);
  return { ...current, conditions: mergeConditions(status.conditions, current['conditions'], GATEWAY_CLASS_CONDITION_TYPES, stampOf(observed, now)) };
}
