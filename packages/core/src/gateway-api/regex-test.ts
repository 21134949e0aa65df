import { compileLinearRegex, type LinearRegex } from '../linear-regex/index.js';
import type { ValueTest } from './request-conditions.js';

/** A compiled RegularExpression match, or why the expression is refused. */
export type RegexCompileResult = { readonly ok: true; readonly test: ValueTest } | { readonly ok: false; readonly reason: string };

/**
 * Compiles a Gateway API `RegularExpression` value with the linear-time engine (request input
 * can never make it slow; see `linear-regex`); the whole value must match, as Envoy's
 * `safe_regex` matches.
 */
export function compileRegexTest(source: string): RegexCompileResult {
  const compiled = compileLinearRegex(source);
  if (!compiled.ok) return { ok: false, reason: `${compiled.reason} (at offset ${compiled.position})` };
  return { ok: true, test: new FullMatch(compiled.regex) };
}

class FullMatch implements ValueTest {
  constructor(private readonly regex: LinearRegex) {}
  test(value: string): boolean {
    return this.regex.fullMatch(value);
  }
}
