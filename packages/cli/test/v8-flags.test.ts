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
