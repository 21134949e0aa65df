import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import type { LoadedManifests } from '../manifests/load-manifests.js';
import { FileScan, type FileScanResult, type ScannedFile } from './file-scan.js';
import { ManifestParser } from './manifest-parser.js';
import { MANIFEST_EXTENSIONS, parserFailed } from './manifest-paths.js';

const DEFAULT_DEBOUNCE_MS = 100;

/**
 * Reads manifests from files and directories (`.yaml`, `.yml`, `.json` directly inside a
 * directory, in name order), merged in the order given. A file that cannot be read is a
 * `SWY_MANIFEST_FILE_UNREADABLE` diagnostic; the others still load. Reads and parses on the
 * calling thread: for a process that serves while it loads again, use `ManifestFiles` or
 * `watchManifestFiles`.
 */
export async function loadManifestFiles(paths: readonly string[]): Promise<LoadedManifests> {
  return merge(new FileScan().scan(paths), undefined);
}

/**
 * Manifest files loaded again and again, as a gateway serving them does: every load looks at
 * every file (`stat`), reads only those that may have changed, and parses only those whose text
 * did, all on a worker thread (`ManifestParser`), so the thread serving requests only takes the
 * changed files' objects back. Parsing is most of a reload's cost (measured: about 2 ms of CPU
 * for a file of 100 Ingress paths, 190 ms for 100 such files, against 20 ms to compile them; with
 * `yaml` alone, before js-yaml read plain files, 10 and 850 ms), and a watched directory usually
 * changes one file at a time. Looking at the files is the worker's too: done on the serving thread
 * (a `stat` through `fs/promises` is a promise, a thread-pool request and a Stats object; a read, a
 * FileHandle opened and closed), a reload of 100 files, one changed, cost that thread 7.3 ms of CPU
 * at 10,000 paths, against 4.6 ms with the worker doing it (`bench:reload`, medians of 40).
 *
 * The objects of unchanged files are the ones the last load returned: every consumer treats
 * them as read-only (`compile` and the discoveries copy what they change), and `compile` with
 * `previous` reuses its work on them. A file the worker could not parse is a
 * `SWY_MANIFEST_PARSER_FAILED` diagnostic, tried again on the next load; when the worker itself
 * fails (or `close` stopped it), a load is one such diagnostic per path given and no objects, so
 * a gateway keeps its last good state, and the next load starts a new worker that reads every
 * file again.
 */
export class ManifestFiles {
  /** Each file's objects as the worker last sent them: what an `unchanged` file stands for. */
  private readonly loaded = new Map<string, LoadedManifests>();
  private readonly parser = new ManifestParser();
  private loading: Promise<unknown> = Promise.resolve();
  private last: LastLoad | undefined;

  /** `paths`: files and directories, as `loadManifestFiles` takes them. */
  constructor(readonly paths: readonly string[]) {}

  /** Loads the files as they are now. Loads run one at a time, in the order asked. */
  load(): Promise<LoadedManifests> {
    const next = this.loading.then(() => this.scan());
    this.loading = next.catch(() => undefined);
    return next;
  }

  /** Stops the parse worker; a load under way reports its paths as `SWY_MANIFEST_PARSER_FAILED`. */
  close(): Promise<void> {
    return this.parser.close();
  }

  private async scan(): Promise<LoadedManifests> {
    let scan: FileScanResult;
    try {
      scan = await this.parser.scan(this.paths);
    } catch (error) {
      // A new worker knows no file: it sends every one again.
      this.loaded.clear();
      this.last = undefined;
      return { objects: [], ingresses: [], ingressClasses: [], diagnostics: this.paths.map((path) => parserFailed(path, error)) };
    }
    const last = this.last;
    const changed = last === undefined ? undefined : mergeChanged(scan, last, this.loaded);
    if (changed !== undefined) {
      // The same files with as many objects each: they start where they did.
      this.last = { files: scan.files, result: changed, starts: last!.starts };
      return changed;
    }
    const result = merge(scan, this.loaded);
    this.last = { files: scan.files, result, starts: result.diagnostics.length === 0 ? startsOf(scan.files, this.loaded) : undefined };
    return result;
  }
}

/** The last load: its scan's files, what they merged into, and where each file's objects start in it. */
interface LastLoad {
  readonly files: readonly ScannedFile[];
  readonly result: LoadedManifests;
  /** By file: the index of its first object, Ingress and IngressClass in `result` (undefined when the load had diagnostics: no reuse then). */
  readonly starts: ReadonlyArray<readonly [objects: number, ingresses: number, ingressClasses: number]> | undefined;
}

/**
 * The scan merged from the last load when the same files, in the same order, changed only in
 * their objects, each file loaded again with as many objects of each kind, and nothing holds a
 * diagnostic: the last load's lists copied (one copy of pointers each) and each changed file's
 * objects written over its own. Undefined otherwise (merge it whole). `loaded` is brought up to date.
 */
function mergeChanged(scan: FileScanResult, last: LastLoad, loaded: Map<string, LoadedManifests>): LoadedManifests | undefined {
  const starts = last.starts;
  if (starts === undefined || scan.diagnostics.length > 0 || scan.files.length !== last.files.length) return undefined;
  for (let i = 0; i < scan.files.length; i++) {
    const scanned = scan.files[i]!;
    if (scanned.file !== last.files[i]!.file || scanned.kind === 'failed') return undefined;
    if (scanned.kind === 'unchanged') continue;
    const before = loaded.get(scanned.file);
    const now = scanned.loaded;
    if (before === undefined || now.diagnostics.length > 0 || now.objects.length !== before.objects.length || now.ingresses.length !== before.ingresses.length || now.ingressClasses.length !== before.ingressClasses.length) return undefined;
  }
  const result: LoadedManifests = { objects: last.result.objects.slice(), ingresses: last.result.ingresses.slice(), ingressClasses: last.result.ingressClasses.slice(), diagnostics: [] };
  for (let i = 0; i < scan.files.length; i++) {
    const scanned = scan.files[i]!;
    if (scanned.kind !== 'loaded') continue;
    const [objects, ingresses, ingressClasses] = starts[i]!;
    writeAt(result.objects, objects, scanned.loaded.objects);
    writeAt(result.ingresses, ingresses, scanned.loaded.ingresses);
    writeAt(result.ingressClasses, ingressClasses, scanned.loaded.ingressClasses);
    loaded.set(scanned.file, scanned.loaded);
  }
  return result;
}

function writeAt<T>(into: T[], start: number, items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) into[start + i] = items[i]!;
}

/** Where each file's objects start in the merge of `files` (each file's objects in `loaded`). */
function startsOf(files: readonly ScannedFile[], loaded: ReadonlyMap<string, LoadedManifests>): Array<[number, number, number]> {
  const starts: Array<[number, number, number]> = [];
  let objects = 0;
  let ingresses = 0;
  let ingressClasses = 0;
  for (let i = 0; i < files.length; i++) {
    starts.push([objects, ingresses, ingressClasses]);
    const file = loaded.get(files[i]!.file);
    if (file === undefined) continue;
    objects += file.objects.length;
    ingresses += file.ingresses.length;
    ingressClasses += file.ingressClasses.length;
  }
  return starts;
}

/**
 * A scan's files merged in order into one load. `loaded` (the objects each file had at the last
 * scan of the same `FileScan`) gives `unchanged` files their objects, and is brought up to date.
 */
function merge(scan: FileScanResult, loaded: Map<string, LoadedManifests> | undefined): LoadedManifests {
  const result: LoadedManifests = { objects: [], ingresses: [], ingressClasses: [], diagnostics: [...scan.diagnostics] };
  const present = new Set<string>();
  // Indexed: this runs once per reload, in V8's interpreter or baseline code, where a for-of allocates per element.
  for (let i = 0; i < scan.files.length; i++) {
    const scanned = scan.files[i]!;
    let objects: LoadedManifests | undefined;
    if (scanned.kind === 'loaded') {
      objects = scanned.loaded;
      loaded?.set(scanned.file, objects);
    } else if (scanned.kind === 'unchanged') {
      objects = loaded?.get(scanned.file);
    }
    if (objects === undefined) {
      result.diagnostics.push(scanned.kind === 'failed' ? scanned.diagnostic : parserFailed(scanned.file, new Error('the parse worker sent no objects for this file and had them as unchanged')));
      continue;
    }
    present.add(scanned.file);
    result.objects.push(...objects.objects);
    result.ingresses.push(...objects.ingresses);
    result.ingressClasses.push(...objects.ingressClasses);
    result.diagnostics.push(...objects.diagnostics);
  }
  if (loaded !== undefined) for (const file of loaded.keys()) if (!present.has(file)) loaded.delete(file);
  return result;
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
