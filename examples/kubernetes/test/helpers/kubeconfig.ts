import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** A kubeconfig file in a temp dir of its own, pointing at `server`, without credentials. */
export interface TempKubeconfig {
  readonly dir: string;
  readonly path: string;
  remove(): void;
}

export function writeKubeconfig(server: string): TempKubeconfig {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-k8s-example-'));
  const path = join(dir, 'kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    // client-node refuses a plain-http server unless TLS verification is off (there is no TLS to verify).
    clusters: [{ name: 'fixture', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'fixture', user: {} }],
    contexts: [{ name: 'fixture', context: { cluster: 'fixture', user: 'fixture' } }],
    'current-context': 'fixture',
  };
  writeFileSync(path, stringify(config));
  return { dir, path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
