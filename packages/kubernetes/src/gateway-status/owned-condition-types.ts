/**
 * The condition types the Gateway API defines for each status (`apis/v1`: `GatewayClassConditionType`,
 * `GatewayConditionType`, `ListenerConditionType`, `RouteConditionType`). On the objects Switchyard
 * controls, these are Switchyard's to say: one the compiler no longer reports is stale and removed.
 * Any other type is another controller's and is kept as it is.
 */
export const GATEWAY_CLASS_CONDITION_TYPES: ReadonlySet<string> = new Set(['Accepted', 'SupportedVersion']);

export const GATEWAY_CONDITION_TYPES: ReadonlySet<string> = new Set(['Accepted', 'Programmed', 'ResolvedRefs', 'InsecureFrontendValidationMode', 'Scheduled', 'Ready']);

export const LISTENER_CONDITION_TYPES: ReadonlySet<string> = new Set(['Accepted', 'Programmed', 'ResolvedRefs', 'Conflicted', 'OverlappingTLSConfig', 'Detached', 'Ready']);

export const ROUTE_CONDITION_TYPES: ReadonlySet<string> = new Set(['Accepted', 'ResolvedRefs', 'PartiallyInvalid']);
