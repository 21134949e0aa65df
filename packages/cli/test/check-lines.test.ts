import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCli } from './helpers/cli-process.js';
import { tempDir } from './helpers/manifests.js';

// `switchyard check` names the line of the field at fault, not the document's first line.
let dir: Awaited<ReturnType<typeof tempDir>>;
let file: string;

beforeAll(async () => {
  dir = await tempDir();
  // Lines: the Ingress starts on line 1; paths[1].pathType is on line 15.
  file = await dir.write(
    'ingress.yaml',
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: { service: { name: web, port: { number: 80 } } }
          - path: /cart
            pathType: Exakt
            backend: { service: { name: web, port: { number: 80 } } }
`,
  );
});
afterAll(async () => {
  await dir?.remove();
});

test('check prints the file, the line of the field and the field', async () => {
  const result = await runCli(['check', '-f', file]);
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/ingress\.yaml document 1 line 15: error SWY_INGRESS_PATH_TYPE_INVALID shop\/shop spec\.rules\[0\]\.http\.paths\[1\]\.pathType/);
});
