export { planStatusWrites, type SkippedStatus, type StatusObjectRef, type StatusPlan, type StatusPlanInput, type StatusWrite } from './status-plan.js';
export { gatewayClassStatusDocument } from './gateway-class-document.js';
export { gatewayStatusDocument, type GatewayDocumentOptions } from './gateway-document.js';
export { httpRouteStatusDocument, type HTTPRouteDocument, type HTTPRouteDocumentOptions } from './http-route-document.js';
export {
  MAX_ROUTE_PARENTS,
  type GatewayClassStatusDocument,
  type GatewayStatusAddress,
  type GatewayStatusDocument,
  type HTTPRouteStatusDocument,
  type ListenerStatusDocument,
  type ObservedObject,
  type RouteParentStatusDocument,
  type StatusCondition,
  type SupportedKind,
} from './status-documents.js';
