import { compile, type Gateway, type HTTPRoute } from '@switchyard/core';
const gateway = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'default' }, spec: { gatewayClassName: 'sw', listeners: [{ name: 'web', port: 80, protocol: 'HTTP' }] } } as unknown as Gateway;
const route = (i: number, rev: number) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: `r${i}`, namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { parentRefs: [{ name: 'gw' }], hostnames: [`h${i % 100}.example.com`], rules: Array.from({ length: 10 }, (_, j) => ({ matches: [{ path: { type: 'PathPrefix', value: `/r${i}/p${j}-${rev}` } }], backendRefs: [{ name: `s${i}`, port: 80 }] })) } }) as unknown as HTTPRoute;
const list = Array.from({ length: 1000 }, (_, i) => route(i, 0));
let previous = compile({ ingresses: [], gateways: [gateway], httpRoutes: list });
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (let k = 1; k <= 30; k++) {
  list[(k * 37) % 1000] = route((k * 37) % 1000, k);
  let t = cpu();
  const scratch = compile({ ingresses: [], gateways: [gateway], httpRoutes: list });
  const s = cpu() - t;
  t = cpu();
  const inc = compile({ ingresses: [], gateways: [gateway], httpRoutes: list, previous });
  const i = cpu() - t;
  previous = inc;
  if (k > 20) console.log('scratch', s.toFixed(1), 'incremental', i.toFixed(1), JSON.stringify(inc.diagnostics) === JSON.stringify(scratch.diagnostics));
}
