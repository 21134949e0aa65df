/**
 * JS RegExp as the reference for the part of the syntax where it agrees with RE2 (no
 * `\r`/U+2028 in inputs for `.`, no `\v` or Unicode spaces for `\s`, no `[]...]`, no POSIX
 * classes, `\x{...}`, `\A`, `\z`, `\a`). Full match is `^(?:p)$`, as RE2::FullMatch.
 */
export function jsFullMatch(pattern: string, input: string): boolean {
  return jsRegExp(pattern, true).test(input);
}

export function jsSearch(pattern: string, input: string): boolean {
  return jsRegExp(pattern, false).test(input);
}

function jsRegExp(pattern: string, anchored: boolean): RegExp {
  const caseInsensitive = pattern.startsWith('(?i)');
  const body = (caseInsensitive ? pattern.slice(4) : pattern).replaceAll('(?P<', '(?<');
  return new RegExp(anchored ? `^(?:${body})$` : body, caseInsensitive ? 'i' : '');
}
