import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Router, compile, type Ingress } from '@switchyard/core';
import { JsonFileDiscovery } from './json-file-discovery.js';

// A route written in code, and a "service registry" that is a JSON file.
const ingress: Ingress = {
  metadata: { name: 'web', namespace: 'shop' },
  spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
};
const file = join(tmpdir(), `switchyard-registry-${process.pid}.json`);
await writeFile(file, JSON.stringify({ 'shop/web:80': [{ address: '127.0.0.1', port: 8080 }] }));

const discovery = new JsonFileDiscovery({ file, intervalMs: 200 });
await discovery.ready();
const router = new Router({ table: compile({ ingresses: [ingress] }).table, discovery });
const show = () => {
  const match = router.table.match('shop.example.com', '/cart')!;
  const endpoints = router.endpoints(match.route)!;
  console.log(`${match.backendKey} v${endpoints.set.version}: ${endpoints.eligible.map((e) => `${e.address}:${e.port}`).join(', ')}`);
};
show();
await writeFile(file, JSON.stringify({ 'shop/web:80': [{ address: '127.0.0.1', port: 8080 }, { address: '127.0.0.2', port: 8080 }] }));
await discovery.poll();
show();
router.close();
await discovery.close();
