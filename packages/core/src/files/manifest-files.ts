import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import type { LoadedManifests } from '../manifests/load-manifests.js';
import { FileScan, type FileScanResult } from './file-scan.js';
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
      return { objects: [], ingresses: [], ingressClasses: [], diagnostics: this.paths.map((path) => parserFailed(path, error)) };
    }
    return merge(scan, this.loaded);
  }
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
