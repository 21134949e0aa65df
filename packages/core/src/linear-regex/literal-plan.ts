import type { RegexNode } from './ast.js';

/**
 * What can be decided without the VM, read off the top-level concatenation: a pattern that
 * is a plain string between optional anchors (`^/healthz$`, `\.json$`) is answered with
 * string comparisons; a pattern starting with literal text is refused early when the input
 * does not start with it. Only case-sensitive literals count (under `(?i)` a letter is a set).
 */
export interface LiteralPlan {
  /** The whole pattern is `literal` between the anchors below (anchors only at its ends). */
  readonly pureLiteral: boolean;
  /** The literal text right after any leading `^`/`\A`: the whole pattern's when `pureLiteral`. */
  readonly prefix: string;
  /** Every match starts at offset 0 (a leading `^`/`\A`, on every alternative). */
  readonly anchoredStart: boolean;
  /** For a pure literal: a trailing `$`/`\z`. */
  readonly anchoredEnd: boolean;
}

export function literalPlanOf(node: RegexNode): LiteralPlan {
  const items = flatten(node);
  let start = 0;
  while (start < items.length && isAssertion(items[start]!, 'begin-text')) start++;
  let end = items.length;
  while (end > start && isAssertion(items[end - 1]!, 'end-text')) end--;
  let prefix = '';
  let i = start;
  for (; i < end; i++) {
    const item = items[i]!;
    if (item.kind !== 'literal') break;
    prefix += String.fromCharCode(item.code);
  }
  return {
    pureLiteral: i === end,
    prefix,
    anchoredStart: start > 0 || startsAnchored(node),
    anchoredEnd: end < items.length,
  };
}

/** The top-level sequence with nested concatenations (from groups) spliced in and empties dropped. */
function flatten(node: RegexNode): RegexNode[] {
  if (node.kind === 'empty') return [];
  if (node.kind !== 'concat') return [node];
  return node.items.flatMap(flatten);
}

function isAssertion(node: RegexNode, assertion: 'begin-text' | 'end-text'): boolean {
  return node.kind === 'assert' && node.assertion === assertion;
}

function startsAnchored(node: RegexNode): boolean {
  if (node.kind === 'assert') return node.assertion === 'begin-text';
  if (node.kind === 'concat') return node.items.length > 0 && startsAnchored(node.items[0]!);
  if (node.kind === 'alternate') return node.options.every(startsAnchored);
  return false;
}
