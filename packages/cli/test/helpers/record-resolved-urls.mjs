// A module-resolution hook for a child process: `--import` this file and every URL the process
// resolves (after tsx's own hooks) is appended, one a line, to the file named by
// SWITCHYARD_RESOLVED_URLS. Plain JavaScript: the hooks run on Node's loader thread, where tsx
// does not compile TypeScript.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

let file;

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(file, `${resolved.url}\n`);
  return resolved;
}

// Imported with --import, this runs on the main thread and registers the hooks above.
if (isMainThread) register(import.meta.url, { data: { file: process.env.SWITCHYARD_RESOLVED_URLS } });
