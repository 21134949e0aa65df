import type { FastifyErrorCode } from '../errors.js';
import type { Exchange } from './exchange.js';

/** The proxy's 503 when a backend has no endpoint to pick: its code and reason. */
export interface NoEndpointAnswer {
  readonly code: FastifyErrorCode;
  readonly reason: string;
}

/**
 * Why a matched route has no endpoint, from its backend's set (one lookup, on this failure
 * path only): an ExternalName Service nobody allowed has a code of its own, so the client and
 * the metrics say so; any other discovery problem is named by its code in the reason. Only
 * codes reach the client: the problem's message (names, addresses) is for the operator.
 */
export function noEndpointAnswer(exchange: Exchange): NoEndpointAnswer {
  const route = exchange.route!;
  const problem = exchange.backendProblem();
  if (problem?.code === 'SWY_DISCOVERY_EXTERNAL_NAME_DENIED') {
    return { code: 'SWY_PROXY_EXTERNAL_NAME_DENIED', reason: `${route.backendKey} is an ExternalName Service whose name is not allowed (--allow-external-name)` };
  }
  return { code: 'SWY_PROXY_NO_ENDPOINT', reason: problem === undefined ? `${route.backendKey} has no ready endpoint` : `${route.backendKey} has no ready endpoint (${problem.code})` };
}
