import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SWITCHYARD_V8_FLAGS } from '../src/v8-flags.js';

const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * A process that churns through objects of one allocation site, some of them kept across young
 * GCs, under `--trace-pretenuring-statistics`: V8 prints a `pretenuring:` line for each young GC
 * whose allocation-site feedback it reads. With `set`, it first calls `setSwitchyardV8Flags()`,
 * as `switchyard` does on start.
 */
const SCRIPT = `
const { setSwitchyardV8Flags } = await import('./src/v8-flags.ts');
if (process.argv.includes('set')) setSwitchyardV8Flags();
function pair(i) { return { a: i, b: i + 1 }; }
const ring = new Array(100000);
for (let i = 0; i < 2000000; i++) ring[i % ring.length] = pair(i);
console.log('kept', ring.length);
`;

function pretenuringFeedbackLines(set: boolean): number {
  const child = spawnSync(process.execPath, ['--trace-pretenuring-statistics', '--import', 'tsx', '--input-type=module', '-e', SCRIPT, ...(set ? ['set'] : [])], { cwd: CLI_DIR, encoding: 'utf8', timeout: 60_000 });
  expect(child.status, child.stderr).toBe(0);
  expect(child.stdout).toContain('kept 100000');
  return child.stdout.split('\n').filter((line) => line.includes('pretenuring:')).length;
}

describe('the V8 flags switchyard sets on itself', () => {
  it('turn allocation-site pretenuring off when set at run time, before any request', () => {
    expect(SWITCHYARD_V8_FLAGS).toEqual(['--no-allocation-site-pretenuring']);
    // The control: this Node reads allocation-site feedback to decide what to pretenure...
    expect(pretenuringFeedbackLines(false)).toBeGreaterThan(0);
    // ...and with the flags set at run time, it reads none.
    expect(pretenuringFeedbackLines(true)).toBe(0);
  });
});

/**
 * Calls `collectYoungGeneration` twice: with more than its threshold in new space (kept objects
 * allocated until it holds that much), then right after, with nearly nothing there. Counts the
 * garbage collections (perf_hooks `gc` entries) that started within each call, by kind.
 */
const COLLECT_SCRIPT = `
const { PerformanceObserver, constants } = await import('node:perf_hooks');
const { getHeapSpaceStatistics } = await import('node:v8');
const { collectYoungGeneration, YOUNG_GENERATION_COLLECT_BYTES } = await import('./src/v8-flags.ts');
const entries = [];
const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
observer.observe({ entryTypes: ['gc'] });
const newSpaceUsed = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_used_size;
const keep = [];
for (let i = 0; i < 5e7 && newSpaceUsed() <= YOUNG_GENERATION_COLLECT_BYTES + (1 << 20); i++) keep.push({ i, list: [i] });
const calls = [];
for (const when of ['full', 'just collected']) {
  const before = newSpaceUsed();
  const from = performance.now();
  collectYoungGeneration();
  calls.push({ when, before, from, to: performance.now() });
}
await new Promise((resolve) => setTimeout(resolve, 50));
const kinds = (call) => entries.filter((entry) => entry.startTime >= call.from && entry.startTime <= call.to).map((entry) => (entry.detail.kind === constants.NODE_PERFORMANCE_GC_MINOR ? 'minor' : 'other'));
console.log(JSON.stringify({ calls: calls.map((call) => ({ when: call.when, aboveThreshold: call.before > YOUNG_GENERATION_COLLECT_BYTES, collections: kinds(call) })), kept: keep.length > 0, globalGc: typeof globalThis.gc }));
`;

describe('collectYoungGeneration, between the slices of a compile', () => {
  it('collects the young generation when it holds more than its threshold, and only then; the global object gets no gc', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', COLLECT_SCRIPT], { cwd: CLI_DIR, encoding: 'utf8', timeout: 60_000 });
    expect(child.status, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout.trim().split('\n').pop()!)).toEqual({
      calls: [
        { when: 'full', aboveThreshold: true, collections: ['minor'] },
        { when: 'just collected', aboveThreshold: false, collections: [] },
      ],
      kept: true,
      globalGc: 'undefined',
    });
  });
});
