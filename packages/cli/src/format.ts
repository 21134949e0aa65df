import type { ExplainCandidate, Route } from '@switchyard/core';
import type { ExplainResult } from './explain.js';
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

/** What `switchyard explain` prints: the winner, every candidate in precedence order, the winner's endpoints. */
export function formatExplanation(result: ExplainResult): string {
  const { explanation, endpoints } = result;
  const lines = [`request: host ${explanation.host || '(none)'}, path ${explanation.path}`];
  lines.push(explanation.winner ? `winner: ${formatRoute(explanation.winner)}` : 'winner: none (no rule matches and no Ingress has a default backend: the gateway answers 404)');
  lines.push('candidates, in precedence order:');
  if (explanation.candidates.length === 0) lines.push('  (no rule for this host, no rule without a host, no default backend)');
  explanation.candidates.forEach((candidate, i) => lines.push(`  ${i + 1}. ${formatCandidate(candidate)}`));
  if (endpoints) {
    lines.push(`endpoints of ${endpoints.backendKey}:`);
    for (const endpoint of endpoints.set.endpoints) {
      const state = endpoint.ready ? 'ready' : endpoint.serving ? (endpoint.terminating ? 'serving, terminating' : 'serving') : endpoint.terminating ? 'terminating' : 'not ready';
      const eligible = endpoints.eligible.includes(endpoint) ? '' : ', not used';
      lines.push(`  ${endpoint.address}:${endpoint.port} (${state}${eligible}${endpoint.zone ? `, zone ${endpoint.zone}` : ''}${endpoint.weight === undefined ? '' : `, weight ${endpoint.weight}`})`);
    }
    if (endpoints.set.endpoints.length === 0) lines.push('  (none: the gateway answers 503)');
    if (endpoints.set.problem) lines.push(`  problem: ${endpoints.set.problem.code}: ${endpoints.set.problem.message}`);
  }
  return lines.join('\n');
}

function formatCandidate(candidate: ExplainCandidate): string {
  return `${candidate.outcome.padEnd(11)} ${candidate.tier.padEnd(15)} ${candidate.reason}`;
}
