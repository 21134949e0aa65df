import { describe, expect, test } from 'vitest';
import { sharedStart } from '../src/proxy/cli-targets.js';
import type { StartedTarget } from '../src/proxy/target.js';

describe('the churn pair shares one CLI process (sharedStart)', () => {
  test('however many targets start through it, the process is started once and each gets the same one', async () => {
    let starts = 0;
    const process = { url: 'http://127.0.0.1:1', pid: 1, info: {} } as unknown as StartedTarget;
    const start = sharedStart(async () => {
      starts++;
      return process;
    });
    const [first, second] = await Promise.all([start(), start()]);
    expect(await start()).toBe(first);
    expect(second).toBe(first);
    expect(starts).toBe(1);
  });

  test('a start that failed fails every target that starts through it, without starting again', async () => {
    let starts = 0;
    const start = sharedStart(async () => {
      starts++;
      throw new Error('did not start');
    });
    await expect(start()).rejects.toThrow('did not start');
    await expect(start()).rejects.toThrow('did not start');
    expect(starts).toBe(1);
  });
});
