import { watch, type FSWatcher } from 'node:fs';
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
 * Manifest files loaded again and again, as a gateway serving them does: every load reads every
 * file, but parses only those whose text changed since the last load, and parses them on a
 * worker thread (`ManifestParser`), so the thread serving requests only reads files and takes
 * the parsed objects back. Parsing is most of a reload's cost (measured: about 10 ms of CPU for
 * a file of 100 Ingress paths; 850 ms for 100 such files, against 20 ms to compile them), and a
 * watched directory usually changes one file at a time.
 *
 * The objects of unchanged files are the ones the last load returned: every consumer treats
 * them as read-only (`compile` and the discoveries copy what they change), and `compile` with
 * `previous` reuses its work on them. A file the worker could not parse is a
 * `SWY_MANIFEST_PARSER_FAILED` diagnostic, tried again on the next load.
 */
export class ManifestFiles {
  private readonly parsed = new Map<string, { readonly text: string; readonly loaded: LoadedManifests }>();
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

/** What each file held at the last load, and what it parsed to. */
type ParsedFiles = Map<string, { readonly text: string; readonly loaded: LoadedManifests }>;

type Parse = (text: string, file: string) => LoadedManifests | Promise<LoadedManifests>;

async function loadFiles(paths: readonly string[], parsed: ParsedFiles | undefined, parse: Parse): Promise<LoadedManifests> {
  const result: LoadedManifests = { objects: [], ingresses: [], ingressClasses: [], diagnostics: [] };
  const files = await expand(paths, result.diagnostics);
  // All read at once: one after the other, a gateway under load waited hundreds of
  // milliseconds for the event loop between the reads of a hundred files.
  const texts = await Promise.all(files.map((file) => readFile(file, 'utf8').catch((error: unknown) => unreadable(file, error))));
  const loads = await Promise.all(
    texts.map((text, i) => {
      if (typeof text !== 'string') return text;
      const file = files[i]!;
      const known = parsed?.get(file);
      if (known !== undefined && known.text === text) return known.loaded;
      return Promise.resolve()
        .then(() => parse(text, file))
        .then(
          (loaded) => {
            parsed?.set(file, { text, loaded });
            return loaded;
          },
          (error: unknown) => parserFailed(file, error),
        );
    }),
  );
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
    const read = new Set(files.filter((_, i) => typeof texts[i] === 'string'));
    for (const file of parsed.keys()) if (!read.has(file)) parsed.delete(file);
  }
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
  // watch the directory holding each file (and each directory given), filtered by name.
  const watchers: FSWatcher[] = [];
  for (const path of paths) {
    const isDirectory = (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
    const directory = isDirectory ? path : dirname(path);
    const name = isDirectory ? undefined : basename(path);
    watchers.push(
      watch(directory, (_event, changed) => {
        if (name === undefined ? MANIFEST_EXTENSIONS.has(extname(String(changed ?? ''))) : changed === name) schedule();
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
