import { extname, join } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';

/** The names read as manifests in a directory given (its other files are left alone). */
export const MANIFEST_EXTENSIONS: ReadonlySet<string> = new Set(['.yaml', '.yml', '.json']);

/** The manifest files among a directory's entry names, as paths, in name order. */
export function manifestFilesIn(directory: string, names: readonly string[]): string[] {
  return names
    .filter((name) => MANIFEST_EXTENSIONS.has(extname(name)))
    .sort()
    .map((name) => join(directory, name));
}

/** `SWY_MANIFEST_FILE_UNREADABLE` for a path that could not be looked at or read. */
export function unreadable(file: string, error: unknown): Diagnostic {
  return { code: 'SWY_MANIFEST_FILE_UNREADABLE', severity: 'error', object: file, message: `${file}: ${(error as Error).message}`, source: { file, document: 0 } };
}

/** `SWY_MANIFEST_PARSER_FAILED` for a path the parse worker gave no answer for. */
export function parserFailed(file: string, error: unknown): Diagnostic {
  return { code: 'SWY_MANIFEST_PARSER_FAILED', severity: 'error', object: file, message: `${file}: not parsed: ${(error as Error).message}`, source: { file, document: 0 } };
}
