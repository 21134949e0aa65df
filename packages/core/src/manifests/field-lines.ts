import { isMap, isScalar, isSeq, type LineCounter } from 'yaml';
import type { ContainerLines } from './read-yaml-fast.js';

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

/** The same as `fieldLinesOf`, for a value the fast reader built, from the lines it recorded. */
export function fieldLinesOfValue(value: unknown, containers: ContainerLines): Map<string, number> {
  const lines = new Map<string, number>();
  collectFromValue(value, '', lines, containers);
  return lines;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

function keyPath(path: string, key: string): string {
  return PLAIN_KEY.test(key) ? (path === '' ? key : `${path}.${key}`) : `${path}[${key}]`;
}

function collect(node: unknown, path: string, lines: Map<string, number>, lineCounter: LineCounter): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      // The name the loaded object has for the key: `yaml` turns a null key into ''.
      const key = isScalar(pair.key) ? (pair.key.value === null ? '' : String(pair.key.value)) : undefined;
      if (key === undefined) continue;
      const child = keyPath(path, key);
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

function collectFromValue(value: unknown, path: string, lines: Map<string, number>, containers: ContainerLines): void {
  const own = typeof value === 'object' && value !== null ? containers.get(value) : undefined;
  if (own === undefined) return;
  if (Array.isArray(own)) {
    const items = value as readonly unknown[];
    own.forEach((line, i) => {
      const child = `${path}[${i}]`;
      lines.set(child, line);
      collectFromValue(items[i], child, lines, containers);
    });
  } else {
    for (const [key, line] of own as ReadonlyMap<string, number>) {
      const child = keyPath(path, key);
      lines.set(child, line);
      collectFromValue((value as Record<string, unknown>)[key], child, lines, containers);
    }
  }
}
