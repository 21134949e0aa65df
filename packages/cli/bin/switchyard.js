#!/usr/bin/env node
// The published package runs the built dist/. A checkout runs the TypeScript sources through tsx
// when asked to (`node --conditions=source`, as the root `pnpm switchyard` script does, so an edit is
// never shadowed by a stale build) or when there is no dist/ (the README promises no build is needed);
// the `source` export condition then resolves the workspace packages to their sources too.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const askedForSource = import.meta.resolve('@switchyard/cli').endsWith('.ts');
if (!askedForSource && existsSync(new URL('../dist/main.js', import.meta.url))) {
  await import('../dist/main.js');
} else {
  register('./source-condition.js', import.meta.url);
  // tsx is a devDependency: present in a checkout, the only place that runs the sources.
  const tsx = await import('tsx/esm/api');
  tsx.register();
  await import('../src/main.ts');
}
