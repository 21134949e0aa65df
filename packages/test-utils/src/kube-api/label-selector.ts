/** One parsed requirement of a label selector. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';
  readonly values: readonly string[];
}

/** A parsed selector: every requirement must hold. An empty list selects everything. */
export type LabelSelector = readonly LabelRequirement[];

/** Thrown for a selector the API server would reject with 400. */
export class SelectorError extends Error {
  override readonly name = 'SelectorError';
}

/**
 * Parses the string form of a label selector (`a=b,c!=d,e,!f,g in (x,y),h notin (z)`,
 * plus `==`, `>` and `<`). `a=b` and `a==b` are `in` with one value, `a!=b` is `notin`
 * with one value, as the API server's own parser turns them.
 */
export function parseLabelSelector(text: string): LabelSelector {
  const requirements: LabelRequirement[] = [];
  for (const part of splitTopLevel(text)) {
    const term = part.trim();
    if (term === '') continue;
    requirements.push(parseRequirement(term));
  }
  return requirements;
}

/** Whether `labels` satisfy every requirement. */
export function matchesLabels(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  const own = labels ?? {};
  return selector.every((r) => {
    const has = Object.hasOwn(own, r.key);
    const value = own[r.key];
    switch (r.operator) {
      case 'exists': return has;
      case '!': return !has;
      case 'in': return has && r.values.includes(value!);
      // `!=` and `notin` also select objects that lack the label entirely.
      case 'notin': return !has || !r.values.includes(value!);
      case 'gt': return has && isInteger(value!) && Number(value) > Number(r.values[0]);
      case 'lt': return has && isInteger(value!) && Number(value) < Number(r.values[0]);
    }
  });
}

// Commas separate requirements except inside the parentheses of a set.
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) throw new SelectorError(`unbalanced parenthesis in label selector: ${text}`);
  }
  if (depth !== 0) throw new SelectorError(`unbalanced parenthesis in label selector: ${text}`);
  parts.push(text.slice(start));
  return parts;
}

const KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function parseRequirement(term: string): LabelRequirement {
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (set) {
    const values = set[3]!.split(',').map((v) => v.trim());
    return requirement(set[1]!, set[2] as 'in' | 'notin', values);
  }
  if (term.startsWith('!')) return requirement(term.slice(1).trim(), '!', []);
  const op = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(term);
  if (op) {
    const [, key, symbol, value] = op;
    const operator = symbol === '!=' ? 'notin' : symbol === '>' ? 'gt' : symbol === '<' ? 'lt' : 'in';
    if ((operator === 'gt' || operator === 'lt') && !isInteger(value!.trim())) {
      throw new SelectorError(`for 'gt', 'lt' operators, the value must be an integer: ${term}`);
    }
    return requirement(key!, operator, [value!.trim()]);
  }
  return requirement(term, 'exists', []);
}

function requirement(key: string, operator: LabelRequirement['operator'], values: string[]): LabelRequirement {
  if (!KEY.test(key)) throw new SelectorError(`invalid label key: ${JSON.stringify(key)}`);
  for (const value of values) {
    if (value.length > 63 || !VALUE.test(value)) throw new SelectorError(`invalid label value: ${JSON.stringify(value)}`);
  }
  if ((operator === 'in' || operator === 'notin') && values.length === 0) {
    throw new SelectorError(`for 'in', 'notin' operators, values set can't be empty`);
  }
  return { key, operator, values };
}

function isInteger(value: string): boolean {
  return /^-?\d+$/.test(value);
}
