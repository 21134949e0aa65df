import type { Diagnostic } from '../diagnostics.js';
import type { RouteRule } from '../route.js';
import { CompiledMatch } from './compiled-match.js';
import { GrpcMethodCondition } from './grpc-method-match.js';
import { compileRouteRules, valueTest, type BackendContext, type CompiledRoute } from './http-route-rules.js';
import type { GRPCRoute, GRPCRouteMatch } from './model.js';
import { compileRegexTest } from './regex-test.js';
import { HeaderCondition, type ValueTest } from './request-conditions.js';

/** A rule without matches matches every gRPC call. */
const EVERY_CALL: readonly GRPCRouteMatch[] = Object.freeze([Object.freeze({})]);

/**
 * Compiles the rules of a validated GRPCRoute (CRD defaults applied) with the rule compiler
 * HTTPRoutes use (filters, weighted backendRefs, conditions' counts); its matches become
 * `CompiledMatch`es carrying a `GrpcMethodCondition`, method `POST`, and their header matches.
 * A rule whose expression the linear-time engine refuses is left out.
 */
export function compileGrpcRouteRules(route: GRPCRoute, createdAt: number, context: BackendContext, diagnostics: Diagnostic[]): CompiledRoute {
  const rules = (route.spec?.rules ?? []).map((rule) => (rule.matches === undefined || rule.matches.length === 0 ? { ...rule, matches: EVERY_CALL } : rule));
  return compileRouteRules<GRPCRouteMatch>('GRPCRoute', route, rules, compileGrpcMatch, createdAt, context, diagnostics);
}

function compileGrpcMatch(match: GRPCRouteMatch, rule: RouteRule, index: number, createdAt: number, routeId: string): CompiledMatch | string {
  const spec = match.method;
  const type = spec?.type === 'RegularExpression' ? 'RegularExpression' : 'Exact';
  // An empty string is "omitted" (the spec: "if left empty or omitted, will match any").
  const service = spec?.service === '' ? undefined : spec?.service;
  const method = spec?.method === '' ? undefined : spec?.method;
  let serviceTest: ValueTest | undefined;
  let methodTest: ValueTest | undefined;
  if (type === 'RegularExpression') {
    for (const [what, source] of [['service', service], ['method', method]] as const) {
      if (source === undefined) continue;
      const compiled = compileRegexTest(source);
      if (!compiled.ok) return `${what} regular expression ${JSON.stringify(source)} is refused: ${compiled.reason}`;
      if (what === 'service') serviceTest = compiled.test;
      else methodTest = compiled.test;
    }
  }
  const grpc = new GrpcMethodCondition(type, service, method, serviceTest, methodTest);
  const headers: HeaderCondition[] = [];
  const seen = new Set<string>();
  for (const header of match.headers ?? []) {
    const name = header.name.toLowerCase();
    // The spec: only the first entry of an equivalent name counts.
    if (seen.has(name)) continue;
    seen.add(name);
    const test = valueTest(header.type, header.value);
    if (typeof test === 'string') return `header ${header.name} ${test}`;
    headers.push(new HeaderCondition(name, test));
  }
  // The path fields describe the match for people; the index reads `grpc`.
  const pathType = grpc.kind === 'exact' ? 'Exact' : grpc.kind === 'service' ? 'PathPrefix' : 'RegularExpression';
  const pathValue = grpc.kind === 'exact' ? `/${service}/${method}` : grpc.kind === 'service' ? `/${service}` : grpc.describe();
  return new CompiledMatch(rule, index, pathType, pathValue, undefined, 0, 'POST', Object.freeze(headers), Object.freeze([]), createdAt, routeId, grpc);
}
