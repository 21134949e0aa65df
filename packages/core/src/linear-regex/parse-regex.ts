import { EMPTY, type Assertion, type RegexNode } from './ast.js';
import {
  ANY_BUT_NEWLINE,
  MAX_CODE_UNIT,
  PERL_CLASSES,
  POSIX_CLASSES,
  charSetOf,
  complementOf,
  foldAsciiCase,
  unionOf,
  type CharSet,
} from './char-set.js';

/** RE2's limit on `{n}`, `{n,}` and `{n,m}` counts. */
export const MAX_REPEAT_COUNT = 1000;
/** Groups nested deeper than this are refused, which bounds the parser's and compiler's recursion. */
export const MAX_NESTING_DEPTH = 200;

export type ParseResult =
  | { readonly ok: true; readonly node: RegexNode; readonly caseInsensitive: boolean }
  | { readonly ok: false; readonly reason: string; readonly position: number };

/** Thrown inside the parser only; `parseRegex` turns it into a result. */
class Refusal {
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {}
}

const CASE_INSENSITIVE_FLAG = '(?i)';
const LOOKAROUND = ['(?=', '(?!', '(?<=', '(?<!'];
const NAME_CHAR = /^[A-Za-z0-9_]$/;
const HEX_DIGITS = /^[0-9A-Fa-f]+$/;
const ASCII_ALNUM = /^[A-Za-z0-9]$/;
const BACKSLASH = 0x5c;
// Sticky (`y`): each is tried at one offset, never scanning ahead.
const REPEAT_BOUNDS = /\{(\d+)(,(\d*))?\}/y;
const FLAG_GROUP = /\(\?[A-Za-z-]+[:)]/y;
const POSIX_CLASS = /\[:(\^?)([a-z]*):\]/y;

/**
 * Parses the RE2 subset `compileLinearRegex` accepts (listed in index.ts) into a
 * `RegexNode`, or says what it refuses and at which UTF-16 offset. Never throws.
 */
export function parseRegex(source: string): ParseResult {
  try {
    const parser = new Parser(source);
    const node = parser.parse();
    return { ok: true, node, caseInsensitive: parser.caseInsensitive };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.reason, position: error.position };
    throw error;
  }
}

class Parser {
  private pos = 0;
  caseInsensitive = false;
  private readonly groupNames = new Set<string>();

  constructor(private readonly source: string) {}

  parse(): RegexNode {
    if (this.source.startsWith(CASE_INSENSITIVE_FLAG)) {
      this.caseInsensitive = true;
      this.pos = CASE_INSENSITIVE_FLAG.length;
    }
    const node = this.parseAlternation(0);
    if (this.pos < this.source.length) {
      // parseAlternation stops only at the end or at a ")" it has no group for.
      throw new Refusal('unmatched ")": no group is open here', this.pos);
    }
    return node;
  }

  private parseAlternation(depth: number): RegexNode {
    const options = [this.parseConcat(depth)];
    while (this.peek() === '|') {
      this.pos++;
      options.push(this.parseConcat(depth));
    }
    return options.length === 1 ? options[0]! : { kind: 'alternate', options };
  }

  private parseConcat(depth: number): RegexNode {
    const items: RegexNode[] = [];
    while (this.pos < this.source.length) {
      const c = this.peek();
      if (c === '|' || c === ')') break;
      items.push(this.parseRepeat(depth));
    }
    if (items.length === 0) return EMPTY;
    return items.length === 1 ? items[0]! : { kind: 'concat', items };
  }

  /** An atom and at most one quantifier on it. */
  private parseRepeat(depth: number): RegexNode {
    const item = this.parseAtom(depth);
    const start = this.pos;
    const bounds = this.readQuantifier();
    if (bounds === undefined) return item;
    if (this.peek() === '?') this.pos++; // lazy: the same match/no-match answer
    if (this.peek() === '+') throw new Refusal('possessive quantifiers (*+, ++, ?+, {n}+) are not supported', this.pos);
    const next = this.pos;
    if (this.readQuantifier() !== undefined) {
      throw new Refusal(`a repetition of a repetition ("${this.source.slice(start, this.pos)}") is refused, as RE2 does: group the inner one with (?:...)`, next);
    }
    return { kind: 'repeat', item, min: bounds[0], max: bounds[1], position: start };
  }

  /** Reads `*`, `+`, `?` or a well-formed `{n}`, `{n,}`, `{n,m}` at the cursor; a `{` of any other shape is left as a literal (RE2 and JS both). */
  private readQuantifier(): [number, number] | undefined {
    const c = this.peek();
    if (c === '*') return this.pos++, [0, Infinity];
    if (c === '+') return this.pos++, [1, Infinity];
    if (c === '?') return this.pos++, [0, 1];
    if (c !== '{') return undefined;
    REPEAT_BOUNDS.lastIndex = this.pos;
    const match = REPEAT_BOUNDS.exec(this.source);
    if (match === null) return undefined;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
    if (min > MAX_REPEAT_COUNT || (max !== Infinity && max > MAX_REPEAT_COUNT)) {
      throw new Refusal(`repetition count over ${MAX_REPEAT_COUNT} in "${match[0]}"`, this.pos);
    }
    if (min > max) throw new Refusal(`bad repetition "${match[0]}": the minimum is over the maximum`, this.pos);
    this.pos += match[0].length;
    return [min, max];
  }

  private parseAtom(depth: number): RegexNode {
    const start = this.pos;
    const c = this.source[start]!;
    switch (c) {
      case '(':
        return this.parseGroup(depth);
      case '[':
        return this.setNode(this.parseClass());
      case '.':
        this.pos++;
        return { kind: 'set', set: ANY_BUT_NEWLINE };
      case '^':
        this.pos++;
        return { kind: 'assert', assertion: 'begin-text' };
      case '$':
        this.pos++;
        return { kind: 'assert', assertion: 'end-text' };
      case '\\':
        return this.parseEscapeAtom();
      case '*':
      case '+':
      case '?':
        throw new Refusal(`missing argument to repetition operator "${c}"`, start);
      case '{':
        if (this.readQuantifier() !== undefined) throw new Refusal(`missing argument to repetition operator "${this.source.slice(start, this.pos)}"`, start);
        this.pos = start + 1;
        return this.literalNode(0x7b);
      default:
        this.pos++;
        return this.literalNode(this.checkedCode(c.charCodeAt(0), start));
    }
  }

  private parseGroup(depth: number): RegexNode {
    const start = this.pos;
    if (depth >= MAX_NESTING_DEPTH) throw new Refusal(`groups nested deeper than ${MAX_NESTING_DEPTH}`, start);
    this.pos = start + 1 + this.groupPrefixLength(start);
    const inner = this.parseAlternation(depth + 1);
    if (this.peek() !== ')') throw new Refusal('missing closing ")" for this group', start);
    this.pos++;
    return inner;
  }

  /** How many characters after "(" open the group (`?:`, `?P<name>`, ...), refusing the group kinds we do not support. */
  private groupPrefixLength(start: number): number {
    const s = this.source;
    if (s[start + 1] !== '?') return 0;
    if (s.startsWith('(?:', start)) return 2;
    if (LOOKAROUND.some((prefix) => s.startsWith(prefix, start))) {
      throw new Refusal('lookaround assertions ((?=, (?!, (?<=, (?<!) are not supported: they need backtracking', start);
    }
    if (s.startsWith('(?>', start)) throw new Refusal('atomic groups "(?>...)" are not supported', start);
    if (s.startsWith('(?P=', start)) throw new Refusal('backreferences ("(?P=name)") are not supported: they need backtracking', start);
    const named = s.startsWith('(?P<', start) ? 4 : s.startsWith('(?<', start) ? 3 : 0;
    if (named > 0) {
      let end = start + named;
      while (end < s.length && NAME_CHAR.test(s[end]!)) end++;
      const name = s.slice(start + named, end);
      if (s[end] !== '>' || name === '') throw new Refusal('bad group name: expected (?P<name>...) with a name of letters, digits and "_"', start);
      if (this.groupNames.has(name)) throw new Refusal(`duplicate group name "${name}"`, start);
      this.groupNames.add(name);
      return end + 1 - (start + 1);
    }
    FLAG_GROUP.lastIndex = start;
    const flags = FLAG_GROUP.exec(s);
    if (flags !== null) throw new Refusal(`flags "${flags[0]}" are not supported: the one flag is (?i), at the very start of the pattern`, start);
    throw new Refusal(`unknown group syntax "${s.slice(start, start + 3)}"`, start);
  }

  /** An escape outside a class: a Perl class, an assertion or one code unit. */
  private parseEscapeAtom(): RegexNode {
    const start = this.pos;
    const letter = this.source[start + 1];
    const assertion = letter === undefined ? undefined : own(ESCAPE_ASSERTIONS, letter);
    if (assertion !== undefined) {
      this.pos += 2;
      return { kind: 'assert', assertion };
    }
    const escaped = this.parseEscape(false);
    return typeof escaped === 'number' ? this.literalNode(escaped) : this.setNode(escaped);
  }

  /** `\` and what follows, at the cursor: a Perl class's set or one code unit. Refuses the rest, saying why. */
  private parseEscape(inClass: boolean): CharSet | number {
    const start = this.pos;
    const c = this.source[start + 1];
    if (c === undefined) throw new Refusal('trailing backslash at the end of the pattern', start);
    this.pos = start + 2;
    const perl = own(PERL_CLASSES, c);
    if (perl !== undefined) return perl;
    const control = own(CONTROL_ESCAPES, c);
    if (control !== undefined) return control;
    if (c === 'x') return this.parseHexEscape(start);
    const code = c.charCodeAt(0);
    // Escaped ASCII punctuation is always itself (`\.`, `\\`, `\/`, `\-`, `\]`, ...).
    if (code >= 0x20 && code < 0x7f && !ASCII_ALNUM.test(c)) return code;
    if (c >= '1' && c <= '9') throw new Refusal(`backreferences ("\\${c}") are not supported: they need backtracking`, start);
    if (inClass && (c === 'b' || c === 'B' || c === 'A' || c === 'z')) throw new Refusal(`"\\${c}" is an assertion, not allowed in a class`, start);
    const reason = own(REFUSED_ESCAPES, c) ?? `unknown escape "\\${c}"`;
    throw new Refusal(reason, start);
  }

  /** `\xHH` or `\x{H...}` (at most U+FFFF), the cursor after `\x`. */
  private parseHexEscape(start: number): number {
    const s = this.source;
    let digits: string;
    if (s[this.pos] === '{') {
      const close = s.indexOf('}', this.pos);
      digits = close < 0 ? '' : s.slice(this.pos + 1, close);
      if (!HEX_DIGITS.test(digits)) throw new Refusal('bad hex escape: expected \\xHH or \\x{HHHH}', start);
      this.pos = close + 1;
    } else {
      digits = s.slice(this.pos, this.pos + 2);
      if (digits.length !== 2 || !HEX_DIGITS.test(digits)) throw new Refusal('bad hex escape: expected \\xHH or \\x{HHHH}', start);
      this.pos += 2;
    }
    const code = digits.length > 6 ? Infinity : parseInt(digits, 16);
    if (code > MAX_CODE_UNIT) throw new Refusal('characters beyond U+FFFF are not supported: this engine matches UTF-16 code units', start);
    return this.checkedCode(code, start);
  }

  /** `[...]`, the cursor on `[`. A `]` right after `[` or `[^` is a literal (RE2; JS differs). */
  private parseClass(): CharSet {
    const s = this.source;
    const start = this.pos;
    this.pos++;
    const negated = s[this.pos] === '^';
    if (negated) this.pos++;
    const pairs: number[] = [];
    let first = true;
    for (;;) {
      if (this.pos >= s.length) throw new Refusal('missing closing "]" for this class', start);
      if (s[this.pos] === ']' && !first) break;
      first = false;
      if (s.startsWith('[:', this.pos)) {
        const posix = this.parsePosixClass();
        if (posix !== undefined) {
          pairs.push(...posix);
          continue;
        }
      }
      const itemStart = this.pos;
      const low = this.parseClassItem();
      const isRange = s[this.pos] === '-' && this.pos + 1 < s.length && s[this.pos + 1] !== ']';
      if (typeof low !== 'number') {
        if (isRange) throw new Refusal('bad class range: a class like \\d cannot start a range', itemStart);
        pairs.push(...low);
        continue;
      }
      if (!isRange) {
        pairs.push(low, low);
        continue;
      }
      this.pos++;
      const high = this.parseClassItem();
      if (typeof high !== 'number') throw new Refusal('bad class range: a class like \\d cannot end a range', itemStart);
      if (high < low) throw new Refusal(`bad class range "${s.slice(itemStart, this.pos)}": its end is before its start`, itemStart);
      pairs.push(low, high);
    }
    this.pos++;
    let set = charSetOf(pairs);
    // Fold before negating: (?i)[^a] refuses both "a" and "A" (RE2 and JS alike).
    if (this.caseInsensitive) set = foldAsciiCase(set);
    return negated ? complementOf(set) : set;
  }

  private parseClassItem(): CharSet | number {
    if (this.source.charCodeAt(this.pos) === BACKSLASH) return this.parseEscape(true);
    const start = this.pos++;
    return this.checkedCode(this.source.charCodeAt(start), start);
  }

  /** `[:name:]` or `[:^name:]` inside a class; undefined when `[:` opens nothing of that shape (then `[` is a literal). */
  private parsePosixClass(): CharSet | undefined {
    POSIX_CLASS.lastIndex = this.pos;
    const match = POSIX_CLASS.exec(this.source);
    if (match === null) return undefined;
    const set = own(POSIX_CLASSES, match[2]!);
    if (set === undefined) throw new Refusal(`unknown POSIX class "${match[0]}"`, this.pos);
    this.pos += match[0].length;
    return match[1] === '^' ? complementOf(set) : set;
  }

  private literalNode(code: number): RegexNode {
    if (this.caseInsensitive) {
      const folded = foldAsciiCase([code, code]);
      if (folded.length > 2 || folded[0] !== code) return { kind: 'set', set: folded };
    }
    return { kind: 'literal', code };
  }

  private setNode(set: CharSet): RegexNode {
    return { kind: 'set', set: this.caseInsensitive ? foldAsciiCase(set) : set };
  }

  /** Refuses half of a surrogate pair: a character beyond U+FFFF would silently be two code units. */
  private checkedCode(code: number, position: number): number {
    if (code >= 0xd800 && code <= 0xdfff) {
      throw new Refusal('characters beyond U+FFFF (surrogates) are not supported: this engine matches UTF-16 code units', position);
    }
    return code;
  }

  private peek(): string | undefined {
    return this.source[this.pos];
  }
}

const ESCAPE_ASSERTIONS: Readonly<Record<string, Assertion>> = {
  A: 'begin-text',
  z: 'end-text',
  b: 'word-boundary',
  B: 'not-word-boundary',
};

const CONTROL_ESCAPES: Readonly<Record<string, number>> = { a: 0x07, f: 0x0c, t: 0x09, n: 0x0a, r: 0x0d, v: 0x0b };

const REFUSED_ESCAPES: Readonly<Record<string, string>> = {
  '0': 'octal escapes ("\\0") are not supported: use \\xHH',
  k: 'backreferences ("\\k<name>") are not supported: they need backtracking',
  p: 'Unicode classes ("\\p{...}") are not supported: this engine matches UTF-16 code units',
  P: 'Unicode classes ("\\P{...}") are not supported: this engine matches UTF-16 code units',
  Z: '"\\Z" is not supported (nor by RE2): use \\z for the end of the text',
  Q: 'literal quoting "\\Q...\\E" is not supported: escape each character',
  C: '"\\C" (any byte) is not supported',
  u: '"\\u" escapes are not supported: use \\x{HHHH}',
  G: '"\\G" is not supported',
  K: '"\\K" is not supported',
};

/** A table entry by name, never one inherited from Object.prototype. */
function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
