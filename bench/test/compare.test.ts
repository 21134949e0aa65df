import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { BenchError } from '../src/common/errors.js';
import { roundOrder } from '../src/common/rounds.js';
import { checkoutBase } from '../src/compare/base-tree.js';
import { parseCompareOptions } from '../src/compare/options.js';
import { pairedRow } from '../src/compare/paired-row.js';
import { renderCompareReport, type CompareReport } from '../src/compare/report.js';
import { loadCore, WORKING_TREE } from '../src/match/core-under-test.js';

const dir = mkdtempSync(join(tmpdir(), 'bench-compare-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrown(run: () => unknown): BenchError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BenchError);
    return error as BenchError;
  }
  throw new Error('did not throw');
}

describe('pnpm bench:compare options', () => {
  test('--base is required; without --match or --proxy both run, with the same --rounds', () => {
    expect(thrown(() => parseCompareOptions(['--rounds', '3']))).toMatchObject({ code: 'SWY_BENCH_BAD_OPTION', field: '--base' });
    const options = parseCompareOptions(['--', '--base', 'main', '--rounds', '3']);
    if (options === 'help') throw new Error('help');
    expect(options.base).toBe('main');
    expect(options.match).toMatchObject({ rounds: 3 });
    expect(options.match!.sizes.map((size) => size.paths)).toEqual([10, 1_000, 10_000]);
    expect(options.proxy).toMatchObject({ rounds: 3, scenarios: [], profile: false, compareTargets: ['switchyard-1', 'switchyard-10k'] });
  });

  test('one benchmark when named; the match options pass through; targets are checked', () => {
    const match = parseCompareOptions(['--base', 'HEAD~1', '--match', '--sizes', '1000', '--subjects', 'raw-fmw,trie-match', '--sample', '64']);
    if (match === 'help') throw new Error('help');
    expect(match.proxy).toBeUndefined();
    expect(match.match).toMatchObject({ subjects: ['trie-match', 'raw-fmw'], sample: 64, sizes: [{ paths: 1_000, hosts: 10 }] });
    const proxy = parseCompareOptions(['--base', 'HEAD~1', '--proxy', '--targets', 'switchyard-1k', '--duration', '2', '--warm-up', '0']);
    if (proxy === 'help') throw new Error('help');
    expect(proxy.match).toBeUndefined();
    expect(proxy.proxy).toMatchObject({ compareTargets: ['switchyard-1k'], durationS: 2, warmUpS: 0 });
    expect(thrown(() => parseCompareOptions(['--base', 'x', '--targets', 'fastify-http-proxy']))).toMatchObject({ field: '--targets' });
    expect(thrown(() => parseCompareOptions(['--base', 'x', '--sizes', '20']))).toMatchObject({ field: '--sizes' });
  });

  test('a ref that names no commit stops before anything is checked out', () => {
    expect(thrown(() => checkoutBase('no-such-ref-anywhere', () => undefined))).toMatchObject({ code: 'SWY_BENCH_BASE_FAILED', field: '--base' });
  });
});

describe('interleaved rounds', () => {
  test('alone, the items rotate one place per round, as the benchmarks always did', () => {
    expect([0, 1, 2].map((round) => roundOrder(['a', 'b', 'c'], round).join(''))).toEqual(['abc', 'bca', 'cab']);
  });

  test('in pairs, the pairs rotate and each pair flips its order every round (A B, then B A)', () => {
    const items = ['w1', 'b1', 'w2', 'b2'];
    expect(roundOrder(items, 0, 2)).toEqual(['w1', 'b1', 'w2', 'b2']);
    expect(roundOrder(items, 1, 2)).toEqual(['b2', 'w2', 'b1', 'w1']);
    expect(roundOrder(items, 2, 2)).toEqual(['w1', 'b1', 'w2', 'b2']);
  });
});

describe('paired rows and their table', () => {
  // The machine halves its speed from round to round; the working tree takes 0.8× the base's time in every round.
  const row = pairedRow('10 paths / 1 host · match · segment trie (default)', 'hits, ns/call', true, [80, 160, 320], [100, 200, 400]);

  test('the ratio is taken within each round, so the drift between rounds cancels', () => {
    expect(row.ratio).toEqual({ median: 0.8, min: 0.8, max: 0.8 });
    expect(row.base).toEqual({ median: 200, min: 100, max: 400 });
    expect(pairedRow('x', 'req/s', false, [1, 2], []).ratio).toBeUndefined();
  });

  test('one table per benchmark: subject, base, working tree, working ÷ base', () => {
    const report = {
      environment: { command: 'pnpm bench:compare -- --base main', date: '2026-01-01T00:00:00.000Z', node: 'v20', v8: '11', cpu: 'cpu', cores: 2, memoryGiB: 4, os: 'linux' },
      base: { ref: 'main', commit: '9a65f4fde8aa' },
      working: { commit: '5957c61f07bb', changedFiles: 0 },
      match: { options: { rounds: 3, batchMs: 60, sample: 2048, subjects: ['trie-match', 'raw-fmw'] }, rows: [row] },
      proxy: { suite: { rounds: 3, durationS: 8 }, rows: [pairedRow('Switchyard, 1 path', 'req/s', false, [9_000, 4_500], [10_000, 5_000])] },
    } as unknown as CompareReport;
    const text = renderCompareReport(report);
    expect(text).toContain('Base: `main` = 9a65f4fde8. Working tree: 5957c61f07.');
    expect(text).toContain('| 10 paths / 1 host · match · segment trie (default) | hits, ns/call | 200 ns (100–400) | 160 ns (80.0–320) | 0.800× (0.800–0.800) |');
    expect(text).toContain('| Switchyard, 1 path | req/s | 7,500 (5,000–10,000) | 6,750 (4,500–9,000) | 0.900× (0.900–0.900) |');
    expect(text).toContain('Raw find-my-way runs the same code on both sides');
  });
});

describe('the core under test', () => {
  test('from this repository: compile and the three path matcher factories', async () => {
    const core = await loadCore();
    expect(core.root).toBe(WORKING_TREE);
    expect(core.entry).toBe(join(WORKING_TREE, 'packages/core/src/index.ts'));
    for (const factory of [core.compile, core.createSegmentTrieMatcher, core.createPrefixHashMatcher, core.createFindMyWayMatcher]) expect(factory).toBeTypeOf('function');
  });

  test('from a tree whose core exports the path matchers from a subpath, by its exports map', async () => {
    const packageDir = join(dir, 'tree', 'packages', 'core');
    mkdirSync(join(packageDir, 'src'), { recursive: true });
    const exports = { '.': { source: './src/index.mjs', default: './dist/index.js' }, './path-matchers': { source: './src/path-matchers.mjs' } };
    writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ name: '@switchyard/core', exports }));
    writeFileSync(join(packageDir, 'src', 'index.mjs'), 'export function compile() { return "tree compile"; }\n');
    writeFileSync(join(packageDir, 'src', 'path-matchers.mjs'), ['createSegmentTrieMatcher', 'createPrefixHashMatcher', 'createFindMyWayMatcher'].map((name) => `export function ${name}() { return '${name}'; }`).join('\n'));
    const core = await loadCore(join(dir, 'tree'));
    expect((core.compile as unknown as () => string)()).toBe('tree compile');
    expect((core.createPrefixHashMatcher as unknown as () => string)()).toBe('createPrefixHashMatcher');
    writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ name: '@switchyard/core', exports: { '.': exports['.'] } }));
    await expect(loadCore(join(dir, 'tree'))).rejects.toThrow(/no createSegmentTrieMatcher/);
  });
});
