import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { LoadedManifests } from '../manifests/load-manifests.js';
import { patchLoaded } from './file-patches.js';
import { FileScan, type ScannedFile } from './file-scan.js';
import type { PatchedFile, ScanAnswer, ScanRequest } from './manifest-parse-messages.js';

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

/**
 * The worker thread of `ManifestParser`: scans the paths of each message (`FileScan`: stat, read
 * and parse what changed) and answers with what it found, each file parsed again as patches of
 * what it sent for that file last (`patchLoaded`), so the serving thread makes only what changed
 * and keeps its objects for the rest. The places the objects were read from go with them (the
 * records `manifestSourceOf` reads are kept by object, and do not travel with a structured clone).
 * The serving thread keeps what was sent in step: a file forgotten here (failed, gone) is
 * forgotten there.
 */
parentPort!.on('message', (request: ScanRequest) => {
  let answer: ScanAnswer;
  try {
    const { diagnostics, files } = scan.scan(request.paths);
    const present = new Set<string>();
    const answered = files.map((scanned): Exclude<ScannedFile, { kind: 'loaded' }> | PatchedFile => {
      if (scanned.kind === 'failed') return scanned;
      present.add(scanned.file);
      if (scanned.kind === 'unchanged') return scanned;
      const before = sent.get(scanned.file);
      const revision = ++lastRevision;
      sent.set(scanned.file, { revision, loaded: scanned.loaded });
      // The field lines are copied, not moved: this thread compares the next load's with them.
      const loaded = patchLoaded(scanned.loaded, before?.loaded);
      return { kind: 'patched', file: scanned.file, base: before?.revision, revision, loaded };
    });
    for (const file of sent.keys()) if (!present.has(file)) sent.delete(file);
    answer = { id: request.id, diagnostics, files: answered };
  } catch (error) {
    answer = { id: request.id, error: String((error as Error)?.stack ?? error) };
  }
  parentPort!.postMessage(answer);
});
