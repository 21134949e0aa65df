import type { Diagnostic } from '../diagnostics.js';
import type { LoadedPatch } from './file-patches.js';
import type { ScannedFile } from './file-scan.js';

/** The paths the parse worker is to scan (`FileScan.scan`). */
export interface ScanRequest {
  readonly id: number;
  readonly paths: readonly string[];
}

/**
 * A file read and parsed again, as the parse worker sends it: its objects as patches of those it
 * sent for the file last (`patchLoaded`), which the serving thread holds as revision `base`.
 */
export interface PatchedFile {
  readonly kind: 'patched';
  readonly file: string;
  /** The revision of the objects the patches are made from; undefined when the file was not sent before. */
  readonly base: number | undefined;
  /** This load's revision: what the file's next patch is made from. */
  readonly revision: number;
  readonly loaded: LoadedPatch;
}

/** A file of the scan that is not as it was at the last: failed, or read and parsed again. */
export interface ChangedFile {
  /** Its index among the files of the scan. */
  readonly index: number;
  readonly scanned: Extract<ScannedFile, { kind: 'failed' }> | PatchedFile;
}

/**
 * What the parse worker answers: the scan's diagnostics, every file it found only when that list
 * differs from the last answer's, and the files that are not `unchanged` (a scan of a hundred
 * files, one edited, sends one file, not a hundred entries).
 */
export type ScanAnswer =
  | { readonly id: number; readonly diagnostics: Diagnostic[]; readonly files: readonly string[] | undefined; readonly changed: readonly ChangedFile[]; readonly error?: undefined }
  | { readonly id: number; readonly error: string };
