import type { ErrorRegistry } from '../packages/core/src/error-registry.js';
import { BENCH_ERROR_CODES } from '../bench/src/common/errors.js';
import { CLI_ERROR_CODES } from '../packages/cli/src/errors.js';
import { ERROR_CODES } from '../packages/core/src/errors.js';
import { DNS_ERROR_CODES } from '../packages/dns/src/errors.js';
import { FASTIFY_ERROR_CODES } from '../packages/fastify/src/errors.js';
import { KUBE_ERROR_CODES } from '../packages/kubernetes/src/errors.js';
import { TLS_ERROR_CODES } from '../packages/tls/src/errors.js';

/** One package's error registry, as docs/errors.md presents it. */
export interface PackageErrorRegistry {
  /** The package as users install it; docs/errors.md's section heading. */
  readonly packageName: string;
  /** The section's anchor in docs/errors.md (`docs/errors.md#dns`), which the package README links to. */
  readonly anchor: string;
  /** Where the registry is declared, and its exported name. */
  readonly source: string;
  readonly name: string;
  readonly codes: ErrorRegistry;
}

/**
 * Every registry of `SWY_*` codes in the repository, in the order docs/errors.md lists them.
 * Adding a package's registry is one import and one line here; `pnpm errors:doc` then
 * regenerates the doc.
 */
export const ERROR_REGISTRIES: readonly PackageErrorRegistry[] = [
  { packageName: '@switchyard/core', anchor: 'core', source: 'packages/core/src/errors.ts', name: 'ERROR_CODES', codes: ERROR_CODES },
  { packageName: '@switchyard/dns', anchor: 'dns', source: 'packages/dns/src/errors.ts', name: 'DNS_ERROR_CODES', codes: DNS_ERROR_CODES },
  { packageName: '@switchyard/kubernetes', anchor: 'kubernetes', source: 'packages/kubernetes/src/errors.ts', name: 'KUBE_ERROR_CODES', codes: KUBE_ERROR_CODES },
  { packageName: '@switchyard/tls', anchor: 'tls', source: 'packages/tls/src/errors.ts', name: 'TLS_ERROR_CODES', codes: TLS_ERROR_CODES },
  { packageName: '@switchyard/fastify', anchor: 'fastify', source: 'packages/fastify/src/errors.ts', name: 'FASTIFY_ERROR_CODES', codes: FASTIFY_ERROR_CODES },
  { packageName: '@switchyard/cli', anchor: 'cli', source: 'packages/cli/src/errors.ts', name: 'CLI_ERROR_CODES', codes: CLI_ERROR_CODES },
  { packageName: '@switchyard/bench', anchor: 'bench', source: 'bench/src/common/errors.ts', name: 'BENCH_ERROR_CODES', codes: BENCH_ERROR_CODES },
];
