/**
 * The import graph's rules, checked by `pnpm deps:check` (dependency-cruiser) as the first step
 * of `pnpm test`. It cruises packages/*\/src, examples/*\/src and bench/src; type-only and
 * dynamic imports count, since either closes a cycle as well as a plain import does.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */

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
      comment: 'core reads no files and opens no sockets: its main entry imports no Node built-in at all (not even node:net for IP syntax: ip-address.ts is our own); only the Node-only entry @switchyard/core/files (packages/core/src/files/) does I/O.',
      severity: 'error',
      from: { path: '^packages/core/src/', pathNot: '^packages/core/src/files/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-io-outside-node-entries',
      comment: "Even core's Node-only entry names the I/O it does: files only, no sockets.",
      severity: 'error',
      from: { path: '^packages/core/src/files/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(net|http|https|http2|dns|dns/promises|child_process|tls)$' },
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
