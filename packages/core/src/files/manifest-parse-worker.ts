import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { LoadedManifests } from '../manifests/load-manifests.js';
import { patchLoaded } from './file-patches.js';
import { FileScan } from './file-scan.js';
import type { ChangedFile, ScanAnswer, ScanRequest } from './manifest-parse-messages.js';

/**
 * The nice value of this thread: on a core the serving thread keeps busy (a container limited to
 * one CPU, a gateway under load), a parse at the same priority would take every other time slice
 * from it. At 10 the serving thread keeps about 90 % of the core (the kernel weighs nice 0 at 1024
 * and nice 10 at 110), and a parse of 10 ms still ends within about 100 ms.
 */
const PARSE_THREAD_NICE = 10;

/**
 * Linux schedules threads one by one: `setpriority` on this thread's id lowers this thread
 * alone. Elsewhere (no `/proc/thread-self`) the parse runs at the process's priority.
 */
function lowerThisThreadsPriority(): void {
  let threadId: number;
  try {
    threadId = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
  } catch {
    return;
  }
  if (!Number.isInteger(threadId) || threadId <= 0) return;
  try {
    setPriority(threadId, PARSE_THREAD_NICE);
  } catch {
    // A sandbox that forbids it (seccomp): the parse is as correct at the process's priority.
  }
}

lowerThisThreadsPriority();

const scan = new FileScan();
/** What was last sent of each file: its revision and objects, which its next load is sent as a patch of. */
const sent = new Map<string, { readonly revision: number; readonly loaded: LoadedManifests }>();
let lastRevision = 0;
/** The files of the last answer, in order: the next sends its list only when it differs. */
let lastFiles: readonly string[] = [];

/**
 * The worker thread of `ManifestParser`: scans the paths of each message (`FileScan`: stat, read
 * and parse what changed) and answers with what changed: the list of files when it did, and each
 * file parsed again as patches of what it sent for that file last (`patchLoaded`), so the serving
 * thread makes only what changed and keeps its objects for the rest. The places the objects were
 * read from go with them (the records `manifestSourceOf` reads are kept by object, and do not
 * travel with a structured clone). The serving thread keeps what was sent in step: a file
 * forgotten here (failed, gone) is forgotten there.
 */
parentPort!.on('message', (request: ScanRequest) => {
  let answer: ScanAnswer;
  try {
    const { diagnostics, files } = scan.scan(request.paths);
    const names = files.map((scanned) => scanned.file);
    const listChanged = names.length !== lastFiles.length || names.some((name, i) => name !== lastFiles[i]);
    const present = new Set<string>();
    const changed: ChangedFile[] = [];
    files.forEach((scanned, index) => {
      if (scanned.kind === 'failed') {
        changed.push({ index, scanned });
        return;
      }
      present.add(scanned.file);
      if (scanned.kind === 'unchanged') return;
      const before = sent.get(scanned.file);
      const revision = ++lastRevision;
      sent.set(scanned.file, { revision, loaded: scanned.loaded });
      // The field lines are copied, not moved: this thread compares the next load's with them.
      changed.push({ index, scanned: { kind: 'patched', file: scanned.file, base: before?.revision, revision, loaded: patchLoaded(scanned.loaded, before?.loaded) } });
    });
    for (const file of sent.keys()) if (!present.has(file)) sent.delete(file);
    lastFiles = names;
    answer = { id: request.id, diagnostics, files: listChanged ? names : undefined, changed };
  } catch (error) {
    answer = { id: request.id, error: String((error as Error)?.stack ?? error) };
  }
  parentPort!.postMessage(answer);
});
