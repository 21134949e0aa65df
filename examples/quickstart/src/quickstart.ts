import { readFile } from 'node:fs/promises';
import { backendKey, compile, loadManifests, type RouteTable } from '@switchyard/core';

/** The requests the quickstart explains: host routing, path routing, wildcard, default backend. */
export const SAMPLE_REQUESTS: ReadonlyArray<readonly [host: string, path: string]> = [
  ['shop.example.com', '/'],
  ['shop.example.com', '/api/orders/42'],
  ['shop.example.com', '/api/health'],
  ['shop.example.com', '/api/health/deep'],
  ['acme.shop.example.com', '/catalog'],
  ['shop.example.com:8080', '//api/../docs/intro'],
  ['localhost', '/docs/'],
  ['localhost', '/nothing-here'],
];

export interface QuickstartOptions {
  readonly manifest: URL | string;
  readonly ingressClass?: string;
  /** Explain these requests instead of the samples. */
  readonly requests?: ReadonlyArray<readonly [string, string]>;
}

/**
 * Loads the manifest, compiles it, and renders the route table and the explanation of
 * each request as text. Until the gateway exists this is the quickstart: it shows what
 * the router would do with each request.
 */
export async function runQuickstart(options: QuickstartOptions): Promise<{ text: string; ok: boolean }> {
  const file = typeof options.manifest === 'string' ? options.manifest : options.manifest.pathname;
  const loaded = loadManifests(await readFile(options.manifest, 'utf8'), { file });
  const { table, diagnostics } = compile({
    ingresses: loaded.ingresses,
    ingressClasses: loaded.ingressClasses,
    ingressClass: options.ingressClass ?? 'switchyard',
  });
  const lines: string[] = [];
  const problems = [...loaded.diagnostics, ...diagnostics];
  for (const d of problems) lines.push(`${d.severity} ${d.code} ${d.object} ${d.field ?? ''}: ${d.message}`);
  lines.push(`Route table v${table.version} from ${file}`, '', ...renderTable(table), '');
  for (const [host, path] of options.requests ?? SAMPLE_REQUESTS) lines.push(...renderRequest(table, host, path));
  return { text: lines.join('\n'), ok: !problems.some((d) => d.severity === 'error') };
}

function renderTable(table: RouteTable): string[] {
  const rows = table.routes().map((route) => [
    route.isDefaultBackend ? '(default backend)' : (route.host ?? '(any host)'),
    route.path ?? '',
    route.pathType ?? '',
    backendKey(route.backend),
    `${route.ingress.namespace}/${route.ingress.name}`,
  ]);
  return formatColumns([['HOST', 'PATH', 'TYPE', 'BACKEND', 'INGRESS'], ...rows]);
}

function renderRequest(table: RouteTable, host: string, path: string): string[] {
  try {
    const explanation = table.explain(host, path);
    const winner = explanation.winner;
    const target = winner ? backendKey(winner.backend) : '404: no rule and no default backend';
    const why = explanation.candidates.find((c) => c.outcome === 'won')?.reason ?? 'no candidate matched';
    const normalized = explanation.host !== host || explanation.path !== path ? `  (normalized: ${explanation.host} ${explanation.path})` : '';
    return [`${host} ${path}${normalized}`, `  -> ${target}`, `     ${why}`];
  } catch (error) {
    return [`${host} ${path}`, `  -> 400: ${(error as Error).message}`];
  }
}

function formatColumns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
}
