import { isMap, isScalar, isSeq, type LineCounter } from 'yaml';

/**
 * The line of every field of a parsed YAML object, by the field path diagnostics use
 * (`spec.rules[0].http.paths[1].pathType`; a key that is not a plain name in brackets, as in
 * `metadata.annotations[kubernetes.io/ingress.class]`), so a diagnostic can point at the line of
 * its field rather than the document's first line. Made once per object as it is loaded.
 */
export function fieldLinesOf(node: unknown, lineCounter: LineCounter): Map<string, number> {
  const lines = new Map<string, number>();
  collect(node, '', lines, lineCounter);
  return lines;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

function collect(node: unknown, path: string, lines: Map<string, number>, lineCounter: LineCounter): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) continue;
      const child = PLAIN_KEY.test(key) ? (path === '' ? key : `${path}.${key}`) : `${path}[${key}]`;
      const at = (pair.key as { range?: readonly number[] }).range?.[0];
      if (at !== undefined) lines.set(child, lineCounter.linePos(at).line);
      collect(pair.value, child, lines, lineCounter);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const child = `${path}[${i}]`;
      const at = (item as { range?: readonly number[] } | null)?.range?.[0];
      if (at !== undefined) lines.set(child, lineCounter.linePos(at).line);
      collect(item, child, lines, lineCounter);
    });
  }
}
