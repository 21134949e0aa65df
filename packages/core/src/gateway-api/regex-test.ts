import type { ValueTest } from './request-conditions.js';

/** A compiled RegularExpression match, or why the expression is refused. */
export type RegexCompileResult = { readonly ok: true; readonly test: ValueTest } | { readonly ok: false; readonly reason: string };

/**
 * Compiles a Gateway API `RegularExpression` value into a test that runs in time linear in
 * its input (request input can never make it slow); the whole value must match.
 */
export function compileRegexTest(source: string): RegexCompileResult {
  return { ok: false, reason: `regular expressions are not supported yet (${JSON.stringify(source)})` };
}
