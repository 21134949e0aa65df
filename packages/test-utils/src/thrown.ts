/**
 * Calls `fn` and returns what it threw, so a test can assert on the error's `code` and `field`;
 * fails the test when `fn` returns instead.
 *
 *   expect(thrown(() => compile({ ingresses: 1 } as never))).toMatchObject({ code: 'SWY_COMPILE_INVALID_OPTIONS', field: 'ingresses' });
 */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, but the function returned');
}
