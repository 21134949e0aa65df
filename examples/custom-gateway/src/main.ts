import { createCustomGateway } from './custom-gateway.js';
import { startDemoService } from './demo-services.js';

// The demo services: a web app, an api in two zones, and an admin app.
const [web, apiA, apiB, admin] = await Promise.all([startDemoService('web'), startDemoService('api-zone-a'), startDemoService('api-zone-b'), startDemoService('admin')]);
const gateway = await createCustomGateway({
  ports: { web: web.port, api: [apiA.port, apiB.port], admin: admin.port },
  zone: 'zone-a',
  apiZones: ['zone-a', 'zone-b'],
  adminToken: 'let-me-in',
});
const url = await gateway.app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
console.log(`custom gateway on ${url}; try:
  curl -H 'Host: app.example.com' ${url}/api/users      # the api endpoint in zone-a
  curl -H 'Host: app.example.com' ${url}/admin          # 401
  curl -H 'Host: app.example.com' -H 'Authorization: Bearer let-me-in' ${url}/admin
  curl ${url}/gateway/info                               # a route of the app's own`);

const stop = async () => {
  await gateway.close();
  await Promise.all([web, apiA, apiB, admin].map((s) => s.close()));
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
