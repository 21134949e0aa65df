import { compile, Router, StaticDiscovery, type Ingress } from '@switchyard/core';
import { startGateway } from '@switchyard/fastify';
const port = Number(process.argv[2] ?? 9600); const up = Number(process.argv[3] ?? 9500);
const ing: Ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'a', namespace: 'default' }, spec: { rules: [{ host: 'bench.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'up', port: { number: 80 } } } }] } }] } } as Ingress;
const router = new Router({ table: compile({ ingresses: [ing] }).table, discovery: new StaticDiscovery({ endpoints: { 'default/up:80': [{ address: '127.0.0.1', port: up }] } }) });
const gw = await startGateway({ router, listen: { host: '127.0.0.1', port }, admin: false, logger: false, proxy: { logRequests: false } });
const start = process.cpuUsage();
process.on('SIGUSR2', () => { const u = process.cpuUsage(start); console.log(JSON.stringify(u)); });
console.log('ready', gw.urls.http);
