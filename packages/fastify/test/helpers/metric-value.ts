import type { GatewayMetrics } from '@switchyard/fastify';

/**
 * The value of one series in the gateway's Prometheus exposition: `name` without the prefix,
 * and labels that must all match (others are ignored). 0 when no series matches, as a counter
 * that was never incremented may not be exposed yet.
 */
export async function metricValue(gateway: { readonly metrics: GatewayMetrics }, name: string, labels: Readonly<Record<string, string>>): Promise<number> {
  const { body } = await gateway.metrics.scrape();
  const full = gateway.metrics.prefix + name;
  let total = 0;
  for (const line of body.split('\n')) {
    if (!line.startsWith(`${full}{`) && !line.startsWith(`${full} `)) continue;
    const labelText = line.startsWith(`${full}{`) ? line.slice(full.length + 1, line.lastIndexOf('}')) : '';
    const seen = new Map<string, string>();
    for (const match of labelText.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) seen.set(match[1]!, match[2]!);
    if (Object.entries(labels).every(([key, value]) => seen.get(key) === value)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
