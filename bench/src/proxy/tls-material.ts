import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestCa } from '@switchyard/test-utils';
import { SINGLE_HOST } from './route-tables.js';
import type { TlsMaterial } from './target.js';

/**
 * A CA and a certificate for bench.test (ECDSA P-256, from @switchyard/test-utils), written to
 * files both TLS targets read: the same certificate for both, so only the proxies differ.
 */
export async function makeTlsMaterial(scratchDir: string): Promise<TlsMaterial> {
  const ca = await createTestCa('Switchyard Bench CA');
  const pair = await ca.issue({ hosts: [SINGLE_HOST] });
  const certFile = join(scratchDir, 'bench.test.crt');
  const keyFile = join(scratchDir, 'bench.test.key');
  writeFileSync(certFile, pair.cert);
  writeFileSync(keyFile, pair.key, { mode: 0o600 });
  return { certFile, keyFile, ca: ca.certPem, servername: SINGLE_HOST };
}
