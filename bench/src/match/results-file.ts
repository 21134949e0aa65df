import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Report } from './report.js';

/** bench/results/, git-ignored: raw results stay on the machine that made them. */
const RESULTS_DIR = fileURLToPath(new URL('../../results/', import.meta.url));

/** Writes the whole report as JSON to bench/results/match-<timestamp>.json; returns the path. */
export function writeResults(report: Report): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = report.environment.date.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  const file = `${RESULTS_DIR}match-${stamp}.json`;
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  return file;
}
