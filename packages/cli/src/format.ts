import type { Condition, ExplainCandidate, GatewayApiStatus, GatewayExplanation, ParentReference, Route } from '@switchyard/core';
import type { ExplainedEndpoints, ExplainResult, GatewayExplainResult } from './explain.js';
import type { AnyDiagnostic } from './manifest-config.js';

/**
 * One diagnostic as one line: where (file, document, line), what (severity, code), which
 * object and field, and the message.
 *
 * `ingress.yaml document 2 line 14: error SWY_INGRESS_HOST_INVALID shop/web spec.rules[0].host: ...`
 */
export function formatDiagnostic(d: AnyDiagnostic): string {
  const where = d.source?.file === undefined ? '' : `${d.source.file}${d.source.document > 0 ? ` document ${d.source.document}` : ''}${d.source.line === undefined ? '' : ` line ${d.source.line}`}: `;
  const related = d.related ? ` (see ${d.related.object}${d.related.field ? ` ${d.related.field}` : ''})` : '';
  // A document that is no object is named `file#document`, which `where` already says.
  const object = d.source?.file !== undefined && d.object.startsWith(`${d.source.file}#`) ? '' : ` ${d.object}`;
  return `${where}${d.severity} ${d.code}${object}${d.field ? ` ${d.field}` : ''}: ${d.message}${related}`;
}

/** `2 errors, 1 warning, 3 info`. */
export function formatCounts(counts: { readonly error: number; readonly warning: number; readonly info: number }): string {
  return `${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info`;
}

/** `Prefix /api on shop.example.com → shop/api:80 (shop/web spec.rules[0].http.paths[1])`. */
export function formatRoute(route: Route): string {
  const rule = route.isDefaultBackend ? 'default backend' : `${route.pathType} ${route.path} on ${route.host ?? 'any host'}`;
  return `${rule} → ${route.backendKey} (${route.origin.namespace}/${route.origin.name} ${route.field})`;
}

/**
 * The status the compile gave the Gateway API objects, one line per object, listener or route
 * parent, the conditions as `Type=Status (Reason)`, with the message of each condition that is
 * not in its healthy state (`Conflicted` is healthy when False, the others when True):
 *
 * ```
 * Gateway shop/web: Accepted=True (Accepted), Programmed=True (Programmed)
 *   listener https (2 routes): Accepted=True (Accepted), ResolvedRefs=False (InvalidCertificateRef: Secret shop/tls is not found), ...
 * HTTPRoute shop/api → Gateway shop/web/https: Accepted=True (Accepted), ResolvedRefs=True (ResolvedRefs)
 * ```
 */
export function formatGatewayStatus(status: GatewayApiStatus): string[] {
  const lines: string[] = [];
  for (const gatewayClass of status.gatewayClasses) lines.push(`GatewayClass ${gatewayClass.name}: ${formatConditions(gatewayClass.conditions)}`);
  for (const gateway of status.gateways) {
    lines.push(`Gateway ${gateway.gateway}: ${formatConditions(gateway.conditions)}`);
    for (const listener of gateway.listeners) {
      lines.push(`  listener ${listener.name} (${listener.attachedRoutes} route${listener.attachedRoutes === 1 ? '' : 's'}): ${formatConditions(listener.conditions)}`);
    }
  }
  for (const route of status.httpRoutes) {
    for (const parent of route.parents) lines.push(`HTTPRoute ${route.route} → ${formatParentRef(parent.parentRef)}: ${formatConditions(parent.conditions)}`);
  }
  for (const route of status.grpcRoutes) {
    for (const parent of route.parents) lines.push(`GRPCRoute ${route.route} → ${formatParentRef(parent.parentRef)}: ${formatConditions(parent.conditions)}`);
  }
  return lines;
}

function formatConditions(conditions: readonly Condition[]): string {
  return conditions
    .map((c) => {
      const healthy = c.type === 'Conflicted' ? c.status === 'False' : c.status === 'True';
      return `${c.type}=${c.status} (${c.reason}${healthy || c.message === '' ? '' : `: ${c.message}`})`;
    })
    .join(', ');
}

function formatParentRef(ref: ParentReference): string {
  const kind = ref.kind ?? 'Gateway';
  return `${kind} ${ref.namespace ?? ''}${ref.namespace ? '/' : ''}${ref.name}${ref.sectionName ? `/${ref.sectionName}` : ''}${ref.port === undefined ? '' : `:${ref.port}`}`;
}

/** What `switchyard explain` prints: the winner, every candidate in precedence order, the winner's endpoints. */
export function formatExplanation(result: ExplainResult): string {
  const { explanation, endpoints } = result;
  const lines = [`request: host ${explanation.host || '(none)'}, path ${explanation.path}`];
  lines.push(explanation.winner ? `winner: ${formatRoute(explanation.winner)}` : 'winner: none (no rule matches and no Ingress has a default backend: the gateway answers 404)');
  lines.push('candidates, in precedence order:');
  if (explanation.candidates.length === 0) lines.push('  (no rule for this host, no rule without a host, no default backend)');
  explanation.candidates.forEach((candidate, i) => lines.push(`  ${i + 1}. ${formatCandidate(candidate)}`));
  if (endpoints) lines.push(...formatEndpoints(endpoints));
  return lines.join('\n');
}

function formatEndpoints(endpoints: ExplainedEndpoints): string[] {
  const lines = [`endpoints of ${endpoints.backendKey}:`];
  for (const endpoint of endpoints.set.endpoints) {
    const state = endpoint.ready ? 'ready' : endpoint.serving ? (endpoint.terminating ? 'serving, terminating' : 'serving') : endpoint.terminating ? 'terminating' : 'not ready';
    const eligible = endpoints.eligible.includes(endpoint) ? '' : ', not used';
    lines.push(`  ${endpoint.address}:${endpoint.port} (${state}${eligible}${endpoint.zone ? `, zone ${endpoint.zone}` : ''}${endpoint.weight === undefined ? '' : `, weight ${endpoint.weight}`})`);
  }
  if (endpoints.set.endpoints.length === 0) lines.push('  (none: the gateway answers 503)');
  if (endpoints.set.problem) lines.push(`  problem: ${endpoints.set.problem.code}: ${endpoints.set.problem.message}`);
  return lines;
}

/**
 * `switchyard explain --port`: the request, the listeners of the port and the one selected,
 * the candidates in precedence order, the winning rule with its filters, backends and timeouts,
 * then the endpoints of its backends.
 */
export function formatGatewayExplanation(result: GatewayExplainResult): string {
  const e: GatewayExplanation = result.explanation;
  const backendEndpoints = result.endpoints;
  const lines = [`request: port ${e.port}, ${e.method} host ${e.host || '(none)'}, path ${e.path}${e.query}`];
  lines.push(`answer: ${e.summary}`);
  lines.push(`listeners on port ${e.port}:`);
  if (e.listeners.length === 0) lines.push('  (none)');
  for (const listener of e.listeners) {
    lines.push(`  ${listener.outcome.padEnd(12)} ${listener.gateway} ${listener.name} (${listener.protocol}, ${listener.hostname ?? 'any host'}): ${listener.reason}`);
  }
  if (e.listener !== null) {
    lines.push(`candidates of listener ${e.listener.name}, in precedence order:`);
    if (e.candidates.length === 0) lines.push('  (no route attached for this host)');
    e.candidates.forEach((candidate, i) => {
      lines.push(`  ${i + 1}. ${candidate.outcome.padEnd(11)} ${(candidate.hostname ?? 'any host').padEnd(15)} ${candidate.reason}`);
    });
  }
  const winner = e.winner;
  if (winner !== null) {
    lines.push(`winner: ${winner.route} ${winner.field}${winner.ruleName ? ` (rule ${winner.ruleName})` : ''}`);
    if (winner.failure !== null) lines.push(`  every request is answered 500: ${winner.failure}`);
    for (const filter of winner.filters) lines.push(`  filter ${filter.type}: ${filter.detail}`);
    for (const backend of winner.backends) {
      const share = `${Math.round(backend.share * 1000) / 10}%`;
      const what = backend.problem === null ? backend.backendKey : `unresolved, ${backend.problem.reason}: ${backend.problem.message} (answered 500)`;
      lines.push(`  backend ${backend.field}: weight ${backend.weight} (${share}) → ${what}`);
      for (const filter of backend.filters) lines.push(`    filter ${filter.type}: ${filter.detail}`);
    }
    const { requestMs, backendRequestMs } = winner.timeouts;
    lines.push(`  timeouts: request ${requestMs === null ? 'none' : `${requestMs} ms`}, backend request ${backendRequestMs === null ? 'none' : `${backendRequestMs} ms`}`);
  }
  for (const endpoints of backendEndpoints) lines.push(...formatEndpoints(endpoints));
  return lines.join('\n');
}

function formatCandidate(candidate: ExplainCandidate): string {
  return `${candidate.outcome.padEnd(11)} ${candidate.tier.padEnd(15)} ${candidate.reason}`;
}
