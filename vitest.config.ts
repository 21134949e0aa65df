import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Workspace imports resolve to sources, so tests need no build step.
export default defineConfig({
  resolve: {
    alias: {
      '@switchyard/core': source('./packages/core/src/index.ts'),
      '@switchyard/test-utils': source('./packages/test-utils/src/index.ts'),
      '@switchyard/dns': source('./packages/dns/src/index.ts'),
      '@switchyard/kubernetes': source('./packages/kubernetes/src/index.ts'),
      '@switchyard/fastify': source('./packages/fastify/src/index.ts'),
      '@switchyard/cli': source('./packages/cli/src/index.ts'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'bench/test/**/*.test.ts', 'scripts/test/**/*.test.ts'],
    environment: 'node',
    reporters: ['default', './scripts/summary-reporter.ts'],
    testTimeout: 30_000,
  },
});
