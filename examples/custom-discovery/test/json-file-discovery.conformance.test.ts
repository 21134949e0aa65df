import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendRef } from '@switchyard/test-utils';
import { runDiscoveryConformance } from '@switchyard/test-utils/discovery-conformance';
import { JsonFileDiscovery } from '../src/json-file-discovery.js';

runDiscoveryConformance({
  name: 'JsonFileDiscovery (example)',
  setup: async (initial) => {
    const dir = await mkdtemp(join(tmpdir(), 'swy-json-conformance-'));
    const file = join(dir, 'registry.json');
    const write = (addresses: readonly string[]) => writeFile(file, JSON.stringify({ 'shop/web:80': addresses.map((address) => ({ address, port: 8080 })) }));
    await write(initial);
    // A long interval: the cases poll by hand, right after each change.
    const discovery = new JsonFileDiscovery({ file, intervalMs: 60_000 });
    return {
      discovery,
      backend: backendRef('web', 80),
      setAddresses: async (addresses) => {
        await write(addresses);
        await discovery.poll();
      },
      breakSource: async () => {
        await writeFile(file, '{ not json');
        await discovery.poll();
      },
      restoreSource: () => undefined, // setAddresses writes a good file again
      teardown: () => rm(dir, { recursive: true, force: true }),
    };
  },
});
