import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { manifestPlaceOf } from '../manifests/manifest-source.js';
import { FileScan } from './file-scan.js';
import type { ScanAnswer, ScanRequest } from './manifest-parse-messages.js';

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

/**
 * The worker thread of `ManifestParser`: scans the paths of each message (`FileScan`: stat, read
 * and parse what changed) and answers with what it found and, beside each loaded file's objects,
 * where each was read from (the records `manifestSourceOf` reads are kept by object, and do not
 * travel with a structured clone).
 */
parentPort!.on('message', (request: ScanRequest) => {
  let answer: ScanAnswer;
  try {
    const { diagnostics, files } = scan.scan(request.paths);
    const places = files.map((scanned) => (scanned.kind === 'loaded' ? scanned.loaded.objects.map((object) => manifestPlaceOf(object)) : undefined));
    answer = { id: request.id, diagnostics, files, places };
  } catch (error) {
    answer = { id: request.id, error: String((error as Error)?.stack ?? error) };
  }
  // The field lines' buffers are moved, not copied: this thread keeps nothing of a parse. Each
  // once: a buffer listed twice fails the whole message.
  const lineBuffers = new Set<ArrayBuffer>();
  if (answer.error === undefined) for (const places of answer.places) for (const place of places ?? []) if (place?.lines !== undefined) lineBuffers.add(place.lines.buffer);
  parentPort!.postMessage(answer, [...lineBuffers]);
});
