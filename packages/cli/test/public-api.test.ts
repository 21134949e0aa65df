import * as cli from '@switchyard/cli';
import { expect, test } from 'vitest';

// The runtime names the package exports: adding or dropping one is a deliberate change of the
// public API (update the README's "Programmatic API" with it). Types are pinned in
// public-api.test-d.ts. Internals the tests need are imported by relative path.
test('@switchyard/cli exports exactly its documented names', () => {
  expect(Object.keys(cli).sort()).toEqual(['CLI_ERROR_CODES', 'CliError', 'check', 'collectYoungGeneration', 'explain', 'explainGateway', 'isCliError', 'main', 'parseListenAddress', 'serve']);
});
