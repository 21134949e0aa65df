import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ERROR_REGISTRIES } from '../error-registries.js';
import { ERRORS_DOC_PATH, renderErrorsDoc } from '../errors-doc.js';

/**
 * The error registries of every package, docs/errors.md generated from them, and the source:
 * the doc is what `pnpm errors:doc` writes, every code is well formed and documented, and no
 * source uses a `SWY_*` code that no registry declares (STYLE.md: Fastify's errors test).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ALL = ERROR_REGISTRIES.flatMap(({ packageName, codes }) => Object.entries(codes).map(([code, entry]) => ({ packageName, code, entry })));
const REGISTERED = new Set(ALL.map(({ code }) => code));

describe('docs/errors.md', () => {
  test('is what `pnpm errors:doc` writes from the registries (run it after changing one)', () => {
    expect(readFileSync(ERRORS_DOC_PATH, 'utf8')).toBe(renderErrorsDoc());
  });
});

describe('the registries', () => {
  test('declare each code once across all packages', () => {
    const seen = new Map<string, string>();
    for (const { packageName, code } of ALL) {
      expect(seen.get(code), `${code} is declared by ${seen.get(code)} and ${packageName}`).toBeUndefined();
      seen.set(code, packageName);
    }
  });

  test.each(ALL.map(({ packageName, code, entry }) => [code, packageName, entry] as const))('%s (%s) is SWY_<AREA>_<WHAT> with a summary, a cause and a fix', (code, _package, entry) => {
    expect(code).toMatch(/^SWY_[A-Z]+_[A-Z_]+[A-Z]$/);
    expect(entry.summary.trim().length).toBeGreaterThan(10);
    expect(entry.cause.trim()).not.toBe('');
    expect(entry.fix.trim()).not.toBe('');
  });
});

/** The folders whose sources may only use registered codes. */
const SOURCE_FOLDERS = [...subfolders('packages').map((name) => `packages/${name}/src`), ...subfolders('examples').map((name) => `examples/${name}/src`), 'bench/src'];
/** A whole code in quotes or backticks: `'SWY_PROXY_NO_ROUTE'`; prefixes such as `SWY_TLS_*` are not codes. */
const CODE_LITERAL = /(['"`])(SWY_[A-Z0-9_]*[A-Z0-9])\1/g;

describe('the sources', () => {
  const used = new Map<string, string>();
  for (const folder of SOURCE_FOLDERS) {
    for (const file of sourceFiles(join(ROOT, folder))) {
      for (const [, , code] of readFileSync(file, 'utf8').matchAll(CODE_LITERAL)) if (!used.has(code!)) used.set(code!, relative(ROOT, file));
    }
  }

  test('use no SWY_* code that no registry declares', () => {
    const unregistered = [...used].filter(([code]) => !REGISTERED.has(code)).map(([code, file]) => `${code} in ${file}`);
    expect(unregistered).toEqual([]);
  });

  test('are scanned at all (the folders exist and hold codes)', () => {
    expect(SOURCE_FOLDERS).toEqual(expect.arrayContaining(['packages/core/src', 'packages/fastify/src', 'examples/quickstart/src', 'bench/src']));
    expect(used.size).toBeGreaterThan(50);
  });
});

function subfolders(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

function sourceFiles(folder: string): string[] {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries.filter((entry) => entry.isFile() && /\.(?:ts|mts|js|mjs)$/.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
}
