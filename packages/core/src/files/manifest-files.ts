import { watch, type FSWatcher, type Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { loadManifests, type LoadedManifests } from '../manifests/load-manifests.js';
import { ManifestParser } from './manifest-parser.js';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const DEFAULT_DEBOUNCE_MS = 100;

/**
 * Reads manifests from files and directories (`.yaml`, `.yml`, `.json` directly inside a
 * directory, in name order), merged in the order given. A file that cannot be read is a
 * `SWY_MANIFEST_FILE_UNREADABLE` diagnostic; the others still load. Parses on the calling thread:
 * for a process that serves while it loads again, use `ManifestFiles` or `watchManifestFiles`.
 */
export function loadManifestFiles(paths: readonly string[]): Promise<LoadedManifests> {
  return loadFiles(paths, undefined, (text, file) => loadManifests(text, { file }));
}

/**
 * Manifest files loaded again and again, as a gateway serving them does: every load looks at
 * every file (`stat`), reads only those that may have changed, and parses only those whose text
 * did, on a worker thread (`ManifestParser`), so the thread serving requests only reads files and takes
 * the parsed objects back. Parsing is most of a reload's cost (measured: about 2 ms of CPU for
 * a file of 100 Ingress paths, 190 ms for 100 such files, against 20 ms to compile them; with
 * `yaml` alone, before js-yaml read plain files, 10 and 850 ms), and a watched directory usually
 * changes one file at a time.
 *
 * The objects of unchanged files are the ones the last load returned: every consumer treats
 * them as read-only (`compile` and the discoveries copy what they change), and `compile` with
 * `previous` reuses its work on them. A file the worker could not parse is a
 * `SWY_MANIFEST_PARSER_FAILED` diagnostic, tried again on the next load.
 */
export class ManifestFiles {
  private readonly parsed: ParsedFiles = new Map();
  private readonly parser = new ManifestParser();
  private loading: Promise<unknown> = Promise.resolve();

  /** `paths`: files and directories, as `loadManifestFiles` takes them. */
  constructor(readonly paths: readonly string[]) {}

  /** Loads the files as they are now. Loads run one at a time, in the order asked. */
  load(): Promise<LoadedManifests> {
    const next = this.loading.then(() => loadFiles(this.paths, this.parsed, (text, file) => this.parser.parse(text, file)));
    this.loading = next.catch(() => undefined);
    return next;
  }

  /** Stops the parse worker; a load under way reports its unparsed files as `SWY_MANIFEST_PARSER_FAILED`. */
  close(): Promise<void> {
    return this.parser.close();
  }
}

/** What each file held at the last load, what it parsed to, and its `stat` then. */
type ParsedFiles = Map<string, KnownFile>;

interface KnownFile {
  readonly text: string;
  readonly loaded: LoadedManifests;
  readonly stat: Stats | undefined;
  /** The wall clock when the read started, in milliseconds. */
  readonly readAtMs: number;
}

type Parse = (text: string, file: string) => LoadedManifests | Promise<LoadedManifests>;

/**
 * How close to its read a file's modification time may be for its `stat` not to be trusted:
 * a write in the same timestamp tick as the read, after it, leaves the same `stat` (file
 * systems keep times in 1 ns to 2 s steps). The rule git uses for its index ("racily clean").
 */
const RACY_WINDOW_MS = 2_000;

async function loadFiles(paths: readonly string[], parsed: ParsedFiles | undefined, parse: Parse): Promise<LoadedManifests> {
  const result: LoadedManifests = { objects: [], ingresses: [], ingressClasses: [], diagnostics: [] };
  const files = await expand(paths, result.diagnostics);
  // All at once: one after the other, a gateway under load waited hundreds of milliseconds for
  // the event loop between the reads of a hundred files.
  const loads = await Promise.all(files.map((file) => loadFile(file, parsed, parse)));
  for (const loaded of loads) {
    if ('code' in loaded) {
      result.diagnostics.push(loaded);
      continue;
    }
    result.objects.push(...loaded.objects);
    result.ingresses.push(...loaded.ingresses);
    result.ingressClasses.push(...loaded.ingressClasses);
    result.diagnostics.push(...loaded.diagnostics);
  }
  if (parsed !== undefined) {
    // Files gone (deleted, no longer given, or no longer readable) are forgotten.
    const loadedFiles = new Set(files.filter((_, i) => !('code' in loads[i]!)));
    for (const file of parsed.keys()) if (!loadedFiles.has(file)) parsed.delete(file);
  }
  return result;
}

/**
 * One file's objects, or why there are none. A file loaded before whose `stat` is as it was
 * (and was not modified close to that read) is not read again: a reload of a hundred files, one
 * changed, reads one. A file read again whose text is the same keeps its objects.
 */
async function loadFile(file: string, parsed: ParsedFiles | undefined, parse: Parse): Promise<LoadedManifests | Diagnostic> {
  const known = parsed?.get(file);
  const readAtMs = Date.now();
  let stats: Stats | undefined;
  let text: string;
  try {
    stats = parsed === undefined ? undefined : await stat(file);
    if (known !== undefined && stats !== undefined && sameFile(known, stats)) return known.loaded;
    text = await readFile(file, 'utf8');
  } catch (error) {
    return unreadable(file, error);
  }
  if (known !== undefined && known.text === text) {
    parsed!.set(file, { ...known, stat: stats, readAtMs });
    return known.loaded;
  }
  try {
    const loaded = await parse(text, file);
    parsed?.set(file, { text, loaded, stat: stats, readAtMs });
    return loaded;
  } catch (error) {
    return parserFailed(file, error);
  }
}

/** The same file, unchanged since it was read, as far as `stat` can tell. */
function sameFile(known: KnownFile, now: Stats): boolean {
  const before = known.stat;
  if (before === undefined || before.mtimeMs >= known.readAtMs - RACY_WINDOW_MS) return false;
  return now.ino === before.ino && now.dev === before.dev && now.size === before.size && now.mtimeMs === before.mtimeMs && now.ctimeMs === before.ctimeMs;
}

/** A running watch over manifest files. */
export interface ManifestWatch {
  /** The load that started the watch. */
  readonly initial: LoadedManifests;
  /** Loads the files now, as a change would (a reload asked for by hand), through the same parse cache and worker. */
  load(): Promise<LoadedManifests>;
  /** Stops watching and stops the parse worker. */
  close(): void;
}

/**
 * Loads the manifests, then loads them again whenever a file or directory among `paths`
 * changes (bursts debounced), handing every new load to `onChange`: the way to run
 * `StaticDiscovery` and `compile` from files that people edit. Loads go through one
 * `ManifestFiles`: every file is read again, only those whose text changed are parsed again,
 * on a worker thread.
 */
export async function watchManifestFiles(
  paths: readonly string[],
  onChange: (loaded: LoadedManifests) => void,
  options: { readonly debounceMs?: number } = {},
): Promise<ManifestWatch> {
  const files = new ManifestFiles(paths);
  let initial: LoadedManifests;
  try {
    initial = await files.load();
  } catch (error) {
    await files.close();
    throw error;
  }
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  // Loads run in order (ManifestFiles), so the last change always wins.
  const reload = () =>
    void files.load().then((loaded) => {
      if (!closed) onChange(loaded);
    });
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  };
  // Editors replace files by renaming over them, which ends a watch on the file itself, so
  // watch the directory holding each file (and each directory given), filtered by name; an
  // event without a name (some platforms) and the kubelet's `..data` swap count as changes.
  const watchers: FSWatcher[] = [];
  for (const path of paths) {
    const isDirectory = (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
    const directory = isDirectory ? path : dirname(path);
    const name = isDirectory ? undefined : basename(path);
    watchers.push(
      watch(directory, (_event, changed) => {
        if (changed === null || isAtomicWriterName(changed) || (name === undefined ? MANIFEST_EXTENSIONS.has(extname(changed)) : changed === name)) schedule();
      }),
    );
  }
  return {
    initial,
    load: () => files.load(),
    close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
      void files.close();
    },
  };
}

/**
 * A name the kubelet's atomic writer uses in a mounted ConfigMap or Secret (`..data`,
 * `..data_tmp`, `..2026_12_05_13_00_00.123`): each file there is a link through `..data`, and an
 * update swaps `..data` to a new directory, so the event names `..data`, never the file.
 */
function isAtomicWriterName(name: string): boolean {
  return name.startsWith('..');
}

async function expand(paths: readonly string[], diagnostics: Diagnostic[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    try {
      if ((await stat(path)).isDirectory()) {
        const names = (await readdir(path)).filter((name) => MANIFEST_EXTENSIONS.has(extname(name))).sort();
        files.push(...names.map((name) => join(path, name)));
      } else {
        files.push(path);
      }
    } catch (error) {
      diagnostics.push(unreadable(path, error));
    }
  }
  return files;
}

function unreadable(file: string, error: unknown): Diagnostic {
  return { code: 'SWY_MANIFEST_FILE_UNREADABLE', severity: 'error', object: file, message: `${file}: ${(error as Error).message}`, source: { file, document: 0 } };
}

function parserFailed(file: string, error: unknown): Diagnostic {
  return { code: 'SWY_MANIFEST_PARSER_FAILED', severity: 'error', object: file, message: `${file}: not parsed: ${(error as Error).message}`, source: { file, document: 0 } };
}
