import { constructFromEvents, EVENT_ID, parseEvents, SCALAR_STYLE, type Event } from 'js-yaml';
import { constructWithKeyOrder, YAML_CORE_SCHEMA } from './yaml-core-tags.js';

/**
 * The line of each key of a mapping (by key name) or of each item of a sequence, by the object
 * or array the reader built for it.
 */
export type ContainerLines = ReadonlyMap<object, ReadonlyMap<string, number> | readonly number[]>;

/** One document as the fast reader read it. */
export interface FastYamlDocument {
  /** Its value, as `yaml`'s `toJS` gives it (`null` for an empty document). */
  readonly value: unknown;
  /** The 1-based line its content starts on; undefined for an empty document. */
  readonly line: number | undefined;
}

/** What the fast reader made of a text. */
export interface FastYaml {
  readonly documents: readonly FastYamlDocument[];
  readonly lines: ContainerLines;
}

/**
 * The documents of a manifest text, and the line of every key and item in them, read with
 * js-yaml's event parser: a fifth of the CPU of `yaml`'s document model (1.4 against 7.3 ms
 * for a file of 100 Ingress paths, 11 KB), which matters because a changed file is parsed
 * beside the serving thread, on the same cores.
 *
 * Undefined when the text is not plain YAML of the kind manifests are written in: a syntax error,
 * a directive, a tag, an alias, a key that is a collection, a duplicate key, an implicit key
 * past 1000 characters, a lone CR line break, an end marker that ends no document, or an empty
 * sequence item (the events give it no place). The caller then reads it with `yaml`, which
 * reports each document's own errors and handles the rest; the values are the same either way
 * for the texts read here (see `yaml-core-tags.ts` and the manifests tests that compare both
 * readers).
 */
export function readYamlFast(text: string): FastYaml | undefined {
  if (hasLoneCarriageReturn(text)) return undefined;
  const endMarkers = countDocumentEndMarkers(text);
  let events: Event[];
  let values: unknown[];
  let keyOrder: ReadonlyMap<object, readonly string[]>;
  try {
    events = parseEvents(text, {});
    ({ result: values, keyOrder } = constructWithKeyOrder(() => constructFromEvents(events, { source: text, schema: YAML_CORE_SCHEMA, maxAliases: 0 })));
  } catch {
    return undefined;
  }
  const walk = new LineWalk(events, text, keyOrder);
  const documents: FastYamlDocument[] = [];
  let at = 0;
  while (at < events.length) {
    const start = events[at]!;
    if (start.type !== EVENT_ID.DOCUMENT || start.directives.length > 0) return undefined;
    const value = values[documents.length];
    const root = events[at + 1];
    if (root === undefined) return undefined;
    const empty = root.type === EVENT_ID.SCALAR && root.valueStart < 0;
    const line = empty ? undefined : walk.lineOf(root);
    if (!empty && line === undefined) return undefined;
    at = walk.node(at + 1, value);
    if (at < 0 || events[at]?.type !== EVENT_ID.POP) return undefined;
    at += 1;
    documents.push({ value, line });
  }
  if (documents.length !== values.length) return undefined;
  // Each `...` that ends no document is an empty document to `yaml` and nothing to js-yaml: the numbers would differ.
  if (endMarkers !== events.filter((event) => event.type === EVENT_ID.DOCUMENT && event.explicitEnd).length) return undefined;
  return { documents, lines: walk.lines };
}

/** The lines that start with the document end marker `...`. */
function countDocumentEndMarkers(text: string): number {
  let count = 0;
  for (let at = text.startsWith('...') ? 0 : text.indexOf('\n...'); at !== -1; at = text.indexOf('\n...', at + 1)) {
    const start = text.charCodeAt(at) === 10 ? at + 1 : at;
    const after = text.charCodeAt(start + 3);
    if (Number.isNaN(after) || after === 32 || after === 9 || after === 10 || after === 13) count++;
  }
  return count;
}

/** YAML counts a CR alone as a line break; `yaml`'s line numbers count LFs, so such a text goes to `yaml`. */
export function hasLoneCarriageReturn(text: string): boolean {
  for (let at = text.indexOf('\r'); at !== -1; at = text.indexOf('\r', at + 1)) {
    if (text.charCodeAt(at + 1) !== 10) return true;
  }
  return false;
}

/** Under YAML's 1024-character limit on implicit keys, with room for quotes and spaces. */
export const LONG_KEY_CHARACTERS = 1000;

/** Walks one text's events beside the values built from them, recording the lines of keys and items. */
class LineWalk {
  readonly lines = new Map<object, ReadonlyMap<string, number> | readonly number[]>();
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly events: readonly Event[],
    private readonly text: string,
    private readonly keyOrder: ReadonlyMap<object, readonly string[]>,
  ) {
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) this.lineStarts.push(at + 1);
  }

  /** The 1-based line of a text offset. */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }

  /** Walks the node starting at `at` whose value is `value`; the index after it, or -1 when its lines cannot be told. */
  node(at: number, value: unknown): number {
    const event = this.events[at];
    if (event === undefined || event.type === EVENT_ID.DOCUMENT || event.type === EVENT_ID.POP || event.type === EVENT_ID.ALIAS) return -1;
    if (event.tagStart !== -1) return -1;
    if (event.type === EVENT_ID.SCALAR) return at + 1;
    if (event.type === EVENT_ID.SEQUENCE) return Array.isArray(value) ? this.sequence(at + 1, value) : -1;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? this.mapping(at + 1, value) : -1;
  }

  private sequence(at: number, items: readonly unknown[]): number {
    const lines: number[] = [];
    while (this.events[at]?.type !== EVENT_ID.POP) {
      const item = this.events[at];
      const line = item === undefined ? undefined : this.lineOf(item);
      if (line === undefined || lines.length >= items.length) return -1;
      lines.push(line);
      at = this.node(at, items[lines.length - 1]);
      if (at < 0) return -1;
    }
    if (lines.length !== items.length) return -1;
    this.lines.set(items, lines);
    return at + 1;
  }

  private mapping(at: number, map: object): number {
    const names = this.keyOrder.get(map) ?? [];
    const lines = new Map<string, number>();
    while (this.events[at]?.type !== EVENT_ID.POP) {
      const key = this.events[at];
      const name = names[lines.size];
      const line = key?.type === EVENT_ID.SCALAR ? this.lineOf(key) : undefined;
      if (key?.type !== EVENT_ID.SCALAR || line === undefined || name === undefined || this.isLongKey(key.valueStart, key.valueEnd)) return -1;
      lines.set(name, line);
      at = this.node(at, undefined);
      if (at < 0) return -1;
      at = this.node(at, (map as Record<string, unknown>)[name]);
      if (at < 0) return -1;
    }
    if (lines.size !== names.length) return -1;
    this.lines.set(map, lines);
    return at + 1;
  }

  /**
   * YAML ends an implicit key within 1024 characters of its start, and `yaml` holds a text to it;
   * js-yaml does not. A key whose `:` is further than 1000 characters on goes to `yaml`.
   */
  private isLongKey(start: number, end: number): boolean {
    if (end - start <= LONG_KEY_CHARACTERS) {
      const colon = this.text.indexOf(':', end);
      if (colon !== -1 && colon - start <= LONG_KEY_CHARACTERS) return false;
    }
    return true;
  }

  /**
   * The line a node starts on, as `yaml` counts it: a collection's `[`, `{` or first entry, a
   * scalar's text, a block scalar's `|` or `>` (its text starts the line after). Undefined for
   * an empty node, which has no place.
   */
  lineOf(event: Event): number | undefined {
    if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) return this.lineAt(event.start);
    if (event.type !== EVENT_ID.SCALAR || event.valueStart < 0) return undefined;
    if (event.style !== SCALAR_STYLE.LITERAL_BLOCK && event.style !== SCALAR_STYLE.FOLDED_BLOCK) return this.lineAt(event.valueStart);
    // The header's line break ends just before the text: the header is on the line of that break.
    return this.text.charCodeAt(event.valueStart - 1) === 10 ? this.lineAt(event.valueStart - 1) : undefined;
  }
}
