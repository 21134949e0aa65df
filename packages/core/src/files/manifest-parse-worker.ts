import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { loadManifests } from '../manifests/load-manifests.js';
import { manifestPlaceOf } from '../manifests/manifest-source.js';
import type { ParseAnswer, ParseRequest } from './manifest-parse-messages.js';

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

/**
 * The worker thread of `ManifestParser`: parses one file's text per message and answers with the
 * objects and, beside them, where each was read from (the records `manifestSourceOf` reads are
 * kept by object, and do not travel with a structured clone).
 */
parentPort!.on('message', (request: ParseRequest) => {
  let answer: ParseAnswer;
  try {
    const loaded = loadManifests(request.text, { file: request.file });
    answer = { id: request.id, loaded, places: loaded.objects.map((object) => manifestPlaceOf(object)) };
  } catch (error) {
    answer = { id: request.id, error: String((error as Error)?.stack ?? error) };
  }
  // The field lines' buffers are moved, not copied: this thread keeps nothing of a parse. Each
  // once: a buffer listed twice fails the whole message.
  const lineBuffers = new Set<ArrayBuffer>();
  if (answer.error === undefined) for (const place of answer.places) if (place?.lines !== undefined) lineBuffers.add(place.lines.buffer);
  parentPort!.postMessage(answer, [...lineBuffers]);
});
