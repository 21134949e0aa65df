import type { ManifestSource } from '../diagnostics.js';

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
