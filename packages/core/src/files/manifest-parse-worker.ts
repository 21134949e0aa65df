import { parentPort } from 'node:worker_threads';
import { loadManifests } from '../manifests/load-manifests.js';
import { manifestPlaceOf } from '../manifests/manifest-source.js';
import type { ParseAnswer, ParseRequest } from './manifest-parse-messages.js';

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
  parentPort!.postMessage(answer);
});
