import { expandFieldLines, type FieldLineList } from './field-lines.js';

/** Where an object came from, when it was read from a manifest file. */
export interface ManifestSource {
  /** The file name (or the name the caller gave the text). */
  readonly file?: string;
  /** 1-based index of the YAML document in the file. */
  readonly document: number;
  /** 1-based line of the problem, or of the document's start. */
  readonly line?: number;
}

/** An object's field lines and the object they follow the shape of (a copy made by `copyManifestSource` has the original's). */
interface RecordedLines {
  readonly loaded: object;
  readonly lines: FieldLineList;
}

// Kept beside the objects rather than on them, so objects stay exactly as the user wrote them.
const sources = new WeakMap<object, ManifestSource>();
const fieldLines = new WeakMap<object, RecordedLines>();
/** The field lines by path of the objects a diagnostic asked about, made on the first ask. */
const linesByPath = new WeakMap<RecordedLines, ReadonlyMap<string, number>>();

/** Records where an object was read from, and the lines of its fields; diagnostics about it then carry the place. */
export function setManifestSource(object: object, source: ManifestSource, lines?: FieldLineList): void {
  sources.set(object, source);
  if (lines !== undefined) fieldLines.set(object, { loaded: object, lines });
}

/** Where an object was read from and its field lines, as recorded: what a copy made in another thread needs to be given again. */
export interface ManifestPlace {
  readonly source: ManifestSource;
  readonly lines: FieldLineList | undefined;
}

/** The place recorded for `object`, if any (see `setManifestSource`): for an object `setManifestSource` was given, not a copy. */
export function manifestPlaceOf(object: object): ManifestPlace | undefined {
  const source = sources.get(object);
  return source === undefined ? undefined : { source, lines: fieldLines.get(object)?.lines };
}

/** Gives `copy` (an object made from `original`, such as one with defaults applied) the place and field lines of `original`. */
export function copyManifestSource(original: unknown, copy: object): void {
  if (typeof original !== 'object' || original === null) return;
  const source = sources.get(original);
  if (source === undefined) return;
  sources.set(copy, source);
  const lines = fieldLines.get(original);
  if (lines !== undefined) fieldLines.set(copy, lines);
}

/**
 * Where `loadManifests` read an object from, if it did. With `field` (`spec.rules[0].host`), the
 * line is that field's, or its nearest enclosing field's when the field itself is absent (a
 * missing `pathType` points at its path entry), else the document's first line.
 */
export function manifestSourceOf(object: unknown, field?: string): ManifestSource | undefined {
  if (typeof object !== 'object' || object === null) return undefined;
  const source = sources.get(object);
  if (source === undefined || field === undefined) return source;
  const recorded = fieldLines.get(object);
  const line = recorded === undefined ? undefined : lineOf(byPathOf(recorded), field);
  return line === undefined ? source : { ...source, line };
}

function byPathOf(recorded: RecordedLines): ReadonlyMap<string, number> {
  let byPath = linesByPath.get(recorded);
  if (byPath === undefined) {
    byPath = expandFieldLines(recorded.loaded, recorded.lines);
    linesByPath.set(recorded, byPath);
  }
  return byPath;
}

function lineOf(lines: ReadonlyMap<string, number>, field: string): number | undefined {
  for (let path = field; path !== ''; path = parentOf(path)) {
    const line = lines.get(path);
    if (line !== undefined) return line;
  }
  return undefined;
}

/** `a.b[0]` → `a.b`, `a[x.y]` → `a`, `a.b` → `a`, `a` → ''. */
function parentOf(path: string): string {
  const cut = path.endsWith(']') ? path.lastIndexOf('[') : path.lastIndexOf('.');
  return cut <= 0 ? '' : path.slice(0, cut);
}
