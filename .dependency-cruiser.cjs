/**
 * The import graph's rules, checked by `pnpm deps:check` (dependency-cruiser) as the first step
 * of `pnpm test`. It cruises packages/*\/src, examples/*\/src and bench/src; type-only and
 * dynamic imports count, since either closes a cycle as well as a plain import does.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */

// Node's I/O modules, which core leaves to the adapters (DESIGN.md: the hot path is free of I/O).
const NODE_IO = '^(node:)?(fs|fs/promises|net|http|https|http2|dns|dns/promises|child_process|tls)$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle means two modules share a piece that wants a module of its own: move it there.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-no-io',
      comment: 'core reads no files and opens no sockets; only its file loading (packages/core/src/files/) does, and ip-address.ts takes the IP parsers (no I/O) from node:net.',
      severity: 'error',
      from: {
        path: '^packages/core/src/',
        // manifest-files.ts is today's home of the file loading; this exception goes once its
        // move to packages/core/src/files/ lands.
        pathNot: ['^packages/core/src/files/', '^packages/core/src/manifests/manifest-files\\.ts$', '^packages/core/src/ip-address\\.ts$'],
      },
      to: { dependencyTypes: ['core'], path: NODE_IO },
    },
    {
      name: 'core-no-adapters',
      comment: 'core imports no Fastify, undici, Kubernetes client or other @switchyard package: they depend on it, not it on them.',
      severity: 'error',
      from: { path: '^packages/core/src/' },
      // Resolved through node_modules or a workspace link, or, outside core's dependencies, unresolved by name.
      to: { path: ['(^|/)node_modules/(fastify|undici|@kubernetes/client-node)/', '^(fastify|undici|@kubernetes/client-node|@switchyard/[^/]+)(/|$)', '^packages/(?!core/)[^/]+/'] },
    },
    {
      name: 'no-reaching-into-another-package',
      comment: "Import another package by its name (its exports), never its files by relative path.",
      severity: 'error',
      from: { path: '^(packages|examples)/([^/]+)/' },
      to: { dependencyTypes: ['local'], path: '^(packages|examples|bench)/', pathNot: '^$1/$2/' },
    },
    {
      name: 'bench-no-reaching-into-packages',
      comment: "The bench imports the packages by their names, never their files by relative path.",
      severity: 'error',
      from: { path: '^bench/' },
      to: { dependencyTypes: ['local'], path: '^(packages|examples)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    // Workspace packages resolve to their sources (the `source` export condition), so a cycle
    // across packages shows too.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['source', 'import', 'types', 'default'] },
  },
};
