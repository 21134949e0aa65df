/**
 * Regular expressions on request input in linear time: the Gateway API's
 * `RegularExpression` path, header and query matches. A pattern is parsed and compiled
 * once to a program that a Pike VM (Thompson NFA simulation) runs in O(input × program)
 * steps with no backtracking, so no request can make a match slow (JS `RegExp` takes
 * exponential time on `(a+)+$` against `aaaa…b`). A match allocates nothing.
 *
 * The syntax is the subset of RE2's (what Envoy, and so most Gateway API implementations,
 * accept) that a linear engine can honour; anything else is refused with a reason and a
 * position, never misread:
 *
 * - literals; escapes `\.` `\\` `\/` `\-` and any other escaped ASCII punctuation, `\t`
 *   `\n` `\r` `\f` `\v` `\a`, `\xHH`, `\x{HHHH}`
 * - `.` (any code unit but `\n`; unlike JS it matches `\r`, U+2028 and U+2029, as RE2)
 * - classes `[abc]`, `[a-z]`, `[^...]`, with `\d \D \w \W \s \S` and POSIX `[:alpha:]`
 *   (`[:^alpha:]`) inside; `]` right after `[` or `[^` is a literal, as RE2 (JS differs)
 * - `\d \D \w \W \s \S`, ASCII as in RE2 (`\s` is `[\t\n\f\r ]`: no `\v`, unlike JS)
 * - anchors `^` and `$` (start and end of the whole input: no multi-line mode), `\A`,
 *   `\z`, and the word boundaries `\b` and `\B` (ASCII word characters)
 * - groups `( )`, `(?: )`, `(?P<name> )` and `(?<name> )`: grouping only, nothing reads
 *   submatches; group names must be distinct
 * - alternation `|`; quantifiers `*` `+` `?` `{n}` `{n,}` `{n,m}` (counts up to 1000) and
 *   their lazy forms (`*?` ...: the same match/no-match answer); a `{` that opens no valid
 *   count is a literal, as in RE2
 * - `(?i)` at the very start: case-insensitive, folding ASCII letters only (`k` is not
 *   the Kelvin sign, `é` not `É`)
 *
 * Refused: backreferences (`\1`, `\k<n>`, `(?P=n)`), lookaround, atomic groups,
 * possessive quantifiers, other flags and `(?i)` anywhere but the start, `\p{...}`,
 * `\Q...\E`, `\C`, `\Z`, octal and `\u` escapes, unknown escapes, unbalanced parentheses
 * and brackets, a repetition of a repetition (`a**`, as RE2), counts over 1000,
 * groups nested over 200 deep, and programs over `MAX_PROGRAM_SIZE` (5,000) instructions.
 *
 * Input and pattern are sequences of UTF-16 code units, not code points: request paths and
 * header values are ASCII or latin1 in practice. So `.` matches half of a surrogate pair,
 * and a pattern holding a character beyond U+FFFF is refused rather than read as two units.
 */
export { compileLinearRegex, type LinearRegex, type LinearRegexResult } from './linear-regex.js';
export { MAX_PROGRAM_SIZE } from './compile-program.js';
export { MAX_NESTING_DEPTH, MAX_REPEAT_COUNT } from './parse-regex.js';
