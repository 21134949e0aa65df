import type { YAMLError } from 'yaml';

/** A document's YAML errors, told as one: where the first is, what it is, and what usually fixes it. */
export interface YamlSyntaxProblem {
  /** 1-based; undefined when the parser gave no position. */
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** `line L, column C: <what>; <hint>` (and how many more errors the document has). */
  readonly text: string;
}

/**
 * Describes a document's YAML errors in one line. The first error is the one to fix (the
 * others often follow from it), so only its position is given; its `code` from the `yaml`
 * library picks a hint for the common slips of hand-written manifests.
 */
export function yamlSyntaxProblem(errors: readonly YAMLError[], fallbackLine: number | undefined): YamlSyntaxProblem {
  const first = errors[0]!;
  const line = first.linePos?.[0]?.line ?? fallbackLine;
  const column = first.linePos?.[0]?.col;
  const where = [line === undefined ? '' : `line ${line}`, column === undefined ? '' : `column ${column}`].filter(Boolean).join(', ');
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''} after it)` : '';
  return { line, column, text: `${where ? `${where}: ` : ''}${whatOf(first.message)}; ${hintFor(first)}${more}` };
}

/** The message's first line without the position the library appends (we give it ourselves). */
function whatOf(message: string): string {
  const firstLine = message.split('\n', 1)[0]!;
  return firstLine.replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
}

const MISSING_SPACE = 'is a space missing after a colon? write `name: web`, not `name:web`';

function hintFor(error: YAMLError): string {
  switch (error.code) {
    case 'TAB_AS_INDENT':
      return 'indent with spaces, YAML does not allow tabs there';
    case 'MULTILINE_IMPLICIT_KEY':
      return MISSING_SPACE;
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'a `key: value` sits inside another value: the line is indented too deep, or a value holding ": " needs quotes';
    case 'MISSING_CHAR':
      return /quote/.test(error.message) ? 'a quoted value is not closed: add the closing quote on the same line' : MISSING_SPACE;
    case 'BAD_INDENT':
      return /^Flow (sequence|map)/.test(error.message)
        ? 'a `[` or `{` is not closed, or its lines are not indented under its key'
        : 'the keys of one mapping must start in the same column: line this one up with the keys above it';
    case 'DUPLICATE_KEY':
      return 'a key appears twice in the same mapping: keep one';
    default:
      return 'check the indentation and quoting of that line and the one above';
  }
}
