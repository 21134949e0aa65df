/**
 * `pnpm bench:compare -- --base <ref>`: the working tree against a commit, for catching
 * regressions. Checks the base out in a temporary git worktree and installs it, runs the
 * match benchmark and the proxy benchmark's Switchyard targets from both trees in the same
 * interleaved rounds (every answer checked on both sides first), and prints per subject the
 * two medians and the paired ratio working ÷ base. Markdown to stdout, progress to stderr,
 * raw JSON to bench/results/; the worktree is removed at the end, also on failure or Ctrl-C.
 */
import { runScript } from '../common/script.js';
import { checkoutBase, describeWorkingTree } from './base-tree.js';
import { compareMatch } from './match-compare.js';
import { parseCompareOptions, USAGE } from './options.js';
import { compareProxy } from './proxy-compare.js';
import { renderCompareReport, type CompareReport } from './report.js';

await runScript('bench:compare', USAGE, parseCompareOptions, async (options, environment, log) => {
  const working = describeWorkingTree();
  const base = checkoutBase(options.base, log);
  try {
    const match = options.match && (await compareMatch(options.match, base.root, log));
    const proxy = options.proxy && (await compareProxy(options.proxy, base.root, environment.cores, log));
    const report: CompareReport = { environment, base: { ref: base.ref, commit: base.commit }, working, match, proxy };
    return { prefix: 'compare', report, markdown: renderCompareReport(report), exitCode: 0 };
  } finally {
    base.remove();
  }
});
