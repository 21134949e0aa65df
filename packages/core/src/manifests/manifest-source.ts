/** Where an object came from, when it was read from a manifest file. */
export interface ManifestSource {
  /** The file name (or the name the caller gave the text). */
  readonly file?: string;
  /** 1-based index of the YAML document in the file. */
  readonly document: number;
  /** 1-based line of the problem, or of the document's start. */
  readonly line?: number;
}

// Kept beside the objects rather than on them, so objects stay exactly as the user wrote them.
const sources = new WeakMap<object, ManifestSource>();

/** Records where an object was read from; diagnostics about it then carry the place. */
export function setManifestSource(object: object, source: ManifestSource): void {
  sources.set(object, source);
}

/** Where `loadManifests` read an object from, if it did. */
export function manifestSourceOf(object: unknown): ManifestSource | undefined {
  return typeof object === 'object' && object !== null ? sources.get(object) : undefined;
}
