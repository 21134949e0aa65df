import * as tls from '@switchyard/tls';
import { expect, test } from 'vitest';

// The runtime names the package exports: adding or dropping one is a deliberate change of the
// public API (update the README's API table with it). Types are pinned in public-api.test-d.ts.
test('@switchyard/tls exports exactly its documented names', () => {
  expect(Object.keys(tls).sort()).toEqual(['CertificateStore', 'TLS_ERROR_CODES', 'TlsError', 'buildSniTable', 'isTlsError', 'loadPemFiles']);
});
