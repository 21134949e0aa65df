import type { LoadedManifests } from '../manifests/load-manifests.js';
import type { ManifestPlace } from '../manifests/manifest-source.js';

/** A file's text for the parse worker. */
export interface ParseRequest {
  readonly id: number;
  readonly text: string;
  readonly file: string;
}

/**
 * What the parse worker answers: the loaded objects, and each object's place (by index in
 * `loaded.objects`). Structured clone keeps shared references, so `loaded.ingresses` are the
 * same objects as those in `loaded.objects` on the other side too.
 */
export type ParseAnswer =
  | { readonly id: number; readonly loaded: LoadedManifests; readonly places: ReadonlyArray<ManifestPlace | undefined>; readonly error?: undefined }
  | { readonly id: number; readonly error: string };
