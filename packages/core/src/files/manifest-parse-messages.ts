import type { Diagnostic } from '../diagnostics.js';
import type { ManifestPlace } from '../manifests/manifest-source.js';
import type { ScannedFile } from './file-scan.js';

/** The paths the parse worker is to scan (`FileScan.scan`). */
export interface ScanRequest {
  readonly id: number;
  readonly paths: readonly string[];
}

/**
 * What the parse worker answers: the scan, and beside each loaded file's objects, each
 * object's place (by index in `loaded.objects`). Structured clone keeps shared references, so
 * `loaded.ingresses` are the same objects as those in `loaded.objects` on the other side too.
 */
export type ScanAnswer =
  | { readonly id: number; readonly diagnostics: Diagnostic[]; readonly files: ScannedFile[]; readonly places: ReadonlyArray<ReadonlyArray<ManifestPlace | undefined> | undefined>; readonly error?: undefined }
  | { readonly id: number; readonly error: string };
