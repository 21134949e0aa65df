import { isMap, isScalar, isSeq, type LineCounter } from 'yaml';
import type { ContainerLines } from './read-yaml-fast.js';

/**
 * The lines of an object's fields, one per key and per item in the walk `walkFields` makes of the
 * object (0 for a field whose line is not known): what diagnostics use to point at the line of
 * their field rather than the document's first line. An array of numbers rather than a map by
 * field path: a manifest's field paths take two and a half times the memory of the objects
 * themselves (8.2 against 3.2 MB for 100 files of 100 Ingress paths), and are needed only for
 * the few objects a diagnostic is about (`expandFieldLines`).
 */
export type FieldLineList = Int32Array<ArrayBuffer>;

/** Visits each key (`Object.keys` order) and each item under `value`, depth first: the order a `FieldLineList` follows. */
function walkFields(value: unknown, path: string | undefined, visit: (container: object, key: string | number, path: string | undefined) => void): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child = path === undefined ? undefined : `${path}[${i}]`;
      visit(value, i, child);
      walkFields(value[i], child, visit);
    }
    return;
  }
  for (const key of Object.keys(value)) {
    const child = path === undefined ? undefined : keyPath(path, key);
    visit(value, key, child);
    walkFields((value as Record<string, unknown>)[key], child, visit);
  }
}

/** The field lines of `value` from the lines the fast reader recorded for each of its containers. */
export function fieldLinesOfValue(value: unknown, containers: ContainerLines): FieldLineList {
  const lines: number[] = [];
  walkFields(value, undefined, (container, key) => {
    const own = containers.get(container);
    const line = own === undefined ? undefined : typeof key === 'number' ? (own as readonly number[])[key] : (own as ReadonlyMap<string, number>).get(key);
    lines.push(line ?? 0);
  });
  return Int32Array.from(lines);
}

/** The field lines of `value`, read by `yaml` from `node` (its YAML node). */
export function fieldLinesOfNode(value: unknown, node: unknown, lineCounter: LineCounter): FieldLineList {
  const byPath = linesByPath(node, lineCounter);
  const lines: number[] = [];
  walkFields(value, '', (_container, _key, path) => lines.push(byPath.get(path!) ?? 0));
  return Int32Array.from(lines);
}

/**
 * The line of every field of `value` by the field path diagnostics use
 * (`spec.rules[0].http.paths[1].pathType`; a key that is not a plain name in brackets, as in
 * `metadata.annotations[kubernetes.io/ingress.class]`). Empty when `lines` was not made from
 * an object of this shape (one changed since it was loaded).
 */
export function expandFieldLines(value: unknown, lines: FieldLineList): Map<string, number> {
  const byPath = new Map<string, number>();
  let at = 0;
  walkFields(value, '', (_container, _key, path) => {
    const line = lines[at++];
    if (line !== undefined && line > 0) byPath.set(path!, line);
  });
  return at === lines.length ? byPath : new Map();
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

function keyPath(path: string, key: string): string {
  return PLAIN_KEY.test(key) ? (path === '' ? key : `${path}.${key}`) : `${path}[${key}]`;
}

function linesByPath(node: unknown, lineCounter: LineCounter): Map<string, number> {
  const lines = new Map<string, number>();
  collect(node, '', lines, lineCounter);
  return lines;
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
