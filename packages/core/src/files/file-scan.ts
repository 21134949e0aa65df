import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import type { Diagnostic } from '../diagnostics.js';
import { loadManifests, type LoadedManifests } from '../manifests/load-manifests.js';
import { manifestFilesIn, parserFailed, unreadable } from './manifest-paths.js';

/** What one scan found in one file. */
export type ScannedFile =
  /** As it was at the scan before: its objects are the ones that scan loaded. */
  | { readonly kind: 'unchanged'; readonly file: string }
  /** Read and parsed (new, or its text changed). */
  | { readonly kind: 'loaded'; readonly file: string; readonly loaded: LoadedManifests }
  /** Not read (`SWY_MANIFEST_FILE_UNREADABLE`) or not parsed (`SWY_MANIFEST_PARSER_FAILED`); forgotten until it loads again. */
  | { readonly kind: 'failed'; readonly file: string; readonly diagnostic: Diagnostic };

/** A scan of the paths given: the paths that could not be looked at, then every file found, in order. */
export interface FileScanResult {
  readonly diagnostics: Diagnostic[];
  readonly files: ScannedFile[];
}

/** What a file held when it was last read, and its `stat` then. */
interface KnownFile {
  readonly text: string;
  readonly stat: Stats;
  /** The wall clock when the read started, in milliseconds. */
  readonly readAtMs: number;
}

/**
 * How close to its read a file's modification time may be for its `stat` not to be trusted:
 * a write in the same timestamp tick as the read, after it, leaves the same `stat` (file
 * systems keep times in 1 ns to 2 s steps). The rule git uses for its index ("racily clean").
 */
const RACY_WINDOW_MS = 2_000;

/**
 * Manifest files looked at again and again, synchronously: the parse worker's side of
 * `ManifestFiles`, where blocking costs the serving thread nothing (and `loadManifestFiles`, once).
 * Every scan lists the directories given and `stat`s every file; a file whose `stat` is as at its
 * last read (and was not modified close to that read) is not read again, and one read again whose
 * text is the same is not parsed again: both are `unchanged`, so a scan of a hundred files, one
 * changed, reads and parses one and sends the serving thread one file's objects.
 */
export class FileScan {
  private readonly known = new Map<string, KnownFile>();

  /** `paths`: files and directories (their `.yaml`, `.yml` and `.json` files, in name order). */
  scan(paths: readonly string[]): FileScanResult {
    const diagnostics: Diagnostic[] = [];
    const files = expand(paths, diagnostics).map((file) => this.scanFile(file));
    // Files gone (deleted, no longer given, no longer readable) are forgotten.
    const present = new Set(files.filter((scanned) => scanned.kind !== 'failed').map((scanned) => scanned.file));
    for (const file of this.known.keys()) if (!present.has(file)) this.known.delete(file);
    return { diagnostics, files };
  }

  private scanFile(file: string): ScannedFile {
    const known = this.known.get(file);
    const readAtMs = Date.now();
    let stat: Stats;
    let text: string;
    try {
      stat = statSync(file);
      if (known !== undefined && sameFile(known, stat)) return { kind: 'unchanged', file };
      text = readFileSync(file, 'utf8');
    } catch (error) {
      return { kind: 'failed', file, diagnostic: unreadable(file, error) };
    }
    if (known !== undefined && known.text === text) {
      this.known.set(file, { text, stat, readAtMs });
      return { kind: 'unchanged', file };
    }
    let loaded: LoadedManifests;
    try {
      loaded = loadManifests(text, { file });
    } catch (error) {
      // A bug, not a bad file (those are diagnostics): said, and tried again on the next scan.
      return { kind: 'failed', file, diagnostic: parserFailed(file, new Error(String((error as Error)?.stack ?? error))) };
    }
    this.known.set(file, { text, stat, readAtMs });
    return { kind: 'loaded', file, loaded };
  }
}

/** The same file, unchanged since it was read, as far as `stat` can tell. */
function sameFile(known: KnownFile, now: Stats): boolean {
  const before = known.stat;
  if (before.mtimeMs >= known.readAtMs - RACY_WINDOW_MS) return false;
  return now.ino === before.ino && now.dev === before.dev && now.size === before.size && now.mtimeMs === before.mtimeMs && now.ctimeMs === before.ctimeMs;
}

/** The files among `paths`: each file as given, each directory's manifest files. */
function expand(paths: readonly string[], diagnostics: Diagnostic[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    try {
      if (statSync(path).isDirectory()) files.push(...manifestFilesIn(path, readdirSync(path)));
      else files.push(path);
    } catch (error) {
      diagnostics.push(unreadable(path, error));
    }
  }
  return files;
}
