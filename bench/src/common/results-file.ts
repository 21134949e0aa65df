import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** bench/results/, git-ignored: raw results stay on the machine that made them. */
export const RESULTS_DIR = fileURLToPath(new URL('../../results/', import.meta.url));

/**
 * Writes a whole report as JSON to bench/results/<prefix>-<timestamp>.json, the timestamp
 * taken from the report's ISO `date` (colons made file-name safe); returns the path.
 */
export function writeResults(prefix: string, date: string, report: unknown, dir: string = RESULTS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const stamp = date.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  const file = `${dir.endsWith('/') ? dir : `${dir}/`}${prefix}-${stamp}.json`;
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  return file;
}
