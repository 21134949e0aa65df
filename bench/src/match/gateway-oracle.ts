import { compile, type HTTPRoute } from '@switchyard/core';
import { referenceGatewayMatch, type GatewayReferenceInput } from '@switchyard/test-utils';
import { gatewayReferenceKey, type AnswerKey } from './answer-key.js';
import { GATEWAY_CLASS, GATEWAY_PORT, type GatewayRulePlan, type GatewayWorkload } from './gateway-workload.js';

/** A Gateway API request as the oracle takes it: Host and path in normal form, method, headers by lowercase name. */
export interface GatewayOracleRequest {
  readonly host: string;
  readonly path: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface GatewayOracleAnswer {
  readonly key: AnswerKey;
  /** The rule that answers, undefined for a 404. */
  readonly rule: GatewayRulePlan | undefined;
}

/**
 * `referenceGatewayMatch` from @switchyard/test-utils, handed only the HTTPRoutes that can
 * answer a host: every route of the workload has hostnames, and a route none of whose
 * hostnames matches the request's host gives no candidate, so leaving it out does not change
 * the answer (the remaining routes keep their order). The reference then scans a few routes
 * per request instead of all of them.
 */
export function createGatewayOracle(workload: GatewayWorkload): (request: GatewayOracleRequest) => GatewayOracleAnswer {
  const byHostname = new Map<string, HTTPRoute[]>();
  for (const route of workload.httpRoutes) {
    for (const hostname of new Set(route.spec?.hostnames ?? [])) {
      let list = byHostname.get(hostname);
      if (list === undefined) byHostname.set(hostname, (list = []));
      list.push(route);
    }
  }
  const order = new Map(workload.httpRoutes.map((route, index) => [route, index]));
  const rules = new Map(workload.hosts.flatMap((host) => host.rules.map((rule) => [`${rule.route} ${rule.index}`, rule] as const)));
  const inputFor = new Map<string, GatewayReferenceInput>();
  const relevant = (host: string): GatewayReferenceInput => {
    let input = inputFor.get(host);
    if (input !== undefined) return input;
    // The exact name, and the wildcard of every parent domain (`*.` matches one or more labels).
    const keys = [host];
    for (let dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) keys.push(`*.${host.slice(dot + 1)}`);
    const routes = new Set(keys.flatMap((key) => byHostname.get(key) ?? []));
    input = { gateways: [workload.gateway], httpRoutes: [...routes].sort((a, b) => order.get(a)! - order.get(b)!) };
    inputFor.set(host, input);
    return input;
  };
  return (request) => {
    const answer = referenceGatewayMatch(relevant(request.host), { port: GATEWAY_PORT, host: request.host, path: request.path, method: request.method, headers: request.headers });
    return { key: gatewayReferenceKey(answer), rule: answer.kind === 'route' ? rules.get(`${answer.route} ${answer.rule}`) : undefined };
  };
}

/**
 * The reference takes the objects as written, compile validates them first: a generated object
 * compile refused would make the two disagree for the wrong reason, so none may be.
 */
export function assertValidGateway(workload: GatewayWorkload): void {
  const { diagnostics } = compile({ ingresses: [], gateways: [workload.gateway], httpRoutes: workload.httpRoutes, gatewayClass: GATEWAY_CLASS });
  const problem = diagnostics.find((d) => d.severity === 'error');
  if (problem) throw new Error(`the generated Gateway API workload has an invalid object: ${problem.object} ${problem.field ?? ''}: ${problem.message}`);
}
