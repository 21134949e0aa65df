/**
 * Calls `fn` and returns what it threw, so a test can assert on the error's `code` and `field`;
 * fails the test when `fn` returns instead.
 *
 *   expect(thrown(() => parse('x'))).toMatchObject({ code: 'SWY_CONFIG_INVALID', field: 'port' });
 */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, but the function returned');
}
