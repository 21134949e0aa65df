import { expect, test, vi } from 'vitest';
import { Coalescer } from '../src/coalesce.js';

test('a burst runs the task once after it settles, and never later than the maximum delay', () => {
  vi.useFakeTimers();
  try {
    let runs = 0;
    const coalescer = new Coalescer(() => runs++, 10, 25);
    for (let i = 0; i < 5; i++) {
      coalescer.schedule();
      vi.advanceTimersByTime(5);
    }
    // 25 ms after the first call the maximum delay forces a run, though calls kept coming.
    expect(runs).toBe(1);
    coalescer.schedule();
    vi.advanceTimersByTime(9);
    expect(runs).toBe(1);
    vi.advanceTimersByTime(1);
    expect(runs).toBe(2);
    coalescer.schedule();
    coalescer.flush();
    expect(runs).toBe(3);
    coalescer.flush(); // nothing pending
    expect(runs).toBe(3);
  } finally {
    vi.useRealTimers();
  }
});
