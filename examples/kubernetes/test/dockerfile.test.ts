import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { dockerignoreMatcher, execForm, parseCopy, parseDockerfile, type Instruction } from './helpers/dockerfile.js';
import type { Deployment } from './helpers/kube-types.js';
import { EXAMPLE_DIR, REPO_ROOT, loadExample, theObject } from './helpers/manifests.js';

// There is no Docker engine here to build the image, so these tests hold the Dockerfile to the
// repository it builds from: every path it copies exists and is not ignored, the lockfile's
// projects are all there for --frozen-lockfile, the packages the CLI runs with are compiled by
// the tsc -b it runs and shipped by pnpm deploy, and the ENTRYPOINT is the file tsc emits.

interface PackageJson {
  name: string;
  packageManager?: string;
  bin?: Record<string, string>;
  files?: string[];
  exports?: Record<string, { source?: string; types?: string; default?: string }>;
  dependencies?: Record<string, string>;
}
interface TsConfig {
  extends?: string;
  compilerOptions?: { rootDir?: string; outDir?: string };
  references?: Array<{ path: string }>;
}

const DOCKERFILE = join(EXAMPLE_DIR, 'Dockerfile');
const instructions = parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));
const ignored = dockerignoreMatcher(readFileSync(`${DOCKERFILE}.dockerignore`, 'utf8'));
const lastStage = Math.max(...instructions.map((i) => i.stage));
const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as T;
const rootPackage = readJson<PackageJson>('package.json');
const cliPackage = readJson<PackageJson>('packages/cli/package.json');

function runs(pattern: RegExp): Array<{ index: number; instruction: Instruction; match: RegExpExecArray }> {
  return instructions.flatMap((instruction, index) => {
    const match = instruction.keyword === 'RUN' ? pattern.exec(instruction.value) : null;
    return match ? [{ index, instruction, match }] : [];
  });
}

/** The one RUN matching `pattern`. */
function theRun(pattern: RegExp) {
  const found = runs(pattern);
  expect(found, String(pattern)).toHaveLength(1);
  return found[0]!;
}

const contextCopies = instructions.flatMap((instruction, index) => (instruction.keyword === 'COPY' ? [{ index, copy: parseCopy(instruction.value) }] : [])).filter(({ copy }) => copy.from === undefined);

/** The workspace package directory of each `@switchyard/*` name. */
function workspaceDirs(): Map<string, string> {
  const lock = parse(readFileSync(join(REPO_ROOT, 'pnpm-lock.yaml'), 'utf8')) as { importers: Record<string, unknown> };
  const dirs = new Map<string, string>();
  for (const dir of Object.keys(lock.importers)) if (dir !== '.') dirs.set(readJson<PackageJson>(`${dir}/package.json`).name, dir);
  return dirs;
}

test('builds in two stages from node:20-slim', () => {
  const froms = instructions.filter((i) => i.keyword === 'FROM').map((i) => i.value);
  expect(froms.length).toBeGreaterThanOrEqual(2);
  expect(froms[0]).toMatch(/^node:20-slim AS build$/i);
  // The last stage is what runs: Debian slim has the `sleep` the Deployment's preStop hook execs.
  expect(froms[froms.length - 1]).toBe('node:20-slim');
});

test("installs with the workspace's pnpm version and the frozen lockfile", () => {
  const version = rootPackage.packageManager?.replace(/^pnpm@/, '');
  expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  theRun(new RegExp(`^npx -y pnpm@${version!.replaceAll('.', '\\.')} install --frozen-lockfile$`));
  for (const { match } of runs(/pnpm@(\S+)/)) expect(match[1]).toBe(version);
});

test("copies the lockfile and every project it lists before the install, as --frozen-lockfile needs", () => {
  const install = theRun(/ install --frozen-lockfile/).index;
  const copiedBefore = new Set(contextCopies.filter(({ index }) => index < install).flatMap(({ copy }) => copy.sources.map((s) => posix.normalize(s))));
  const needed = ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', ...[...workspaceDirs().values()].map((dir) => `${dir}/package.json`)];
  for (const path of needed) expect(copiedBefore.has(path), path).toBe(true);
});

test('copies only paths that exist in the context and that the ignore file lets through', () => {
  expect(contextCopies.length).toBeGreaterThan(0);
  for (const { copy } of contextCopies) {
    for (const source of copy.sources) {
      expect(existsSync(join(REPO_ROOT, source)), source).toBe(true);
      expect(ignored(source), `${source} is ignored`).toBe(false);
    }
  }
  // The ignore file does keep out what the image makes itself.
  for (const path of ['node_modules', 'packages/cli/node_modules/fastify', 'packages/core/dist/index.js', '.git/HEAD']) expect(ignored(path), path).toBe(true);
});

describe('the CLI build', () => {
  const tscRun = theRun(/^node_modules\/\.bin\/tsc -b (\S+)$/);
  const cliDir = workspaceDirs().get('@switchyard/cli')!;
  const base = readJson<TsConfig>('tsconfig.base.json');

  /** Every project `tsc -b dir` builds: dir and its references, transitively. */
  function builtProjects(dir: string, seen = new Set<string>()): Set<string> {
    if (seen.has(dir)) return seen;
    seen.add(dir);
    const config = readJson<TsConfig>(`${dir}/tsconfig.json`);
    for (const ref of config.references ?? []) builtProjects(posix.normalize(posix.join(dir, ref.path)), seen);
    return seen;
  }

  /** The workspace packages the CLI needs at run time, itself included. */
  function runtimePackages(name: string, dirs: Map<string, string>, seen = new Map<string, string>()): Map<string, string> {
    const dir = dirs.get(name);
    if (dir === undefined || seen.has(name)) return seen;
    seen.set(name, dir);
    for (const dep of Object.keys(readJson<PackageJson>(`${dir}/package.json`).dependencies ?? {})) runtimePackages(dep, dirs, seen);
    return seen;
  }

  test('compiles the CLI and every workspace package it runs with, each into the dist/ its exports point at', () => {
    expect(tscRun.match[1]).toBe(cliDir);
    // Outputs go to <package>/dist, sources come from <package>/src (tsconfig.base.json).
    expect(base.compilerOptions).toMatchObject({ rootDir: '${configDir}/src', outDir: '${configDir}/dist' });
    const built = builtProjects(cliDir);
    const runtime = runtimePackages('@switchyard/cli', workspaceDirs());
    expect([...runtime.keys()]).toEqual(expect.arrayContaining(['@switchyard/cli', '@switchyard/core', '@switchyard/kubernetes', '@switchyard/tls', '@switchyard/fastify']));
    for (const [name, dir] of runtime) {
      expect(built.has(dir), `${name} is not built by tsc -b ${cliDir}`).toBe(true);
      const manifest = readJson<PackageJson>(`${dir}/package.json`);
      expect(manifest.files, `${name} files`).toContain('dist');
      if (name === '@switchyard/cli') continue;
      const entry = manifest.exports?.['.'];
      expect(entry?.default, name).toBe('./dist/index.js');
      expect(existsSync(join(REPO_ROOT, dir, 'src/index.ts')), `${name} src/index.ts`).toBe(true);
    }
  });

  test('the image runs the bin pnpm deploy ships, which loads the file tsc emits from src/main.ts', () => {
    const deploy = theRun(/pnpm@\S+ --filter @switchyard\/cli --prod deploy(?: --legacy)? (\S+)$/);
    // pnpm 10's deploy refuses a workspace without injected workspace packages unless --legacy.
    const workspace = parse(readFileSync(join(REPO_ROOT, 'pnpm-workspace.yaml'), 'utf8')) as { injectWorkspacePackages?: boolean };
    if (workspace.injectWorkspacePackages !== true) expect(deploy.instruction.value).toContain(' --legacy ');
    const deployDir = deploy.match[1]!;

    const runtimeCopies = instructions.filter((i) => i.stage === lastStage && i.keyword === 'COPY').map((i) => parseCopy(i.value));
    expect(runtimeCopies).toEqual([{ from: 'build', sources: [deployDir], destination: '/app' }]);
    const entrypoint = execForm(instructions.find((i) => i.stage === lastStage && i.keyword === 'ENTRYPOINT')!.value);
    expect(entrypoint[0]).toBe('node');
    const binInImage = posix.relative('/app', entrypoint[1]!);
    // pnpm deploy copies the package's `files`; the bin must be among them and be the package's bin.
    expect(cliPackage.bin?.['switchyard']).toBe(`./${binInImage}`);
    expect(cliPackage.files).toEqual(expect.arrayContaining([binInImage.split('/')[0], 'dist']));
    const bin = readFileSync(join(REPO_ROOT, cliDir, binInImage), 'utf8');
    // The built copy is the bin's first import (`import '...'` or `await import('...')`).
    const imported = /^\s*(?:await )?import\(?'(.+)'\)?;$/m.exec(bin)?.[1];
    const emitted = posix.join(posix.dirname(binInImage), imported!);
    expect(emitted).toBe('dist/main.js');
    expect(existsSync(join(REPO_ROOT, cliDir, 'src/main.ts')), 'packages/cli/src/main.ts').toBe(true);
    expect(ignored(`${cliDir}/src/main.ts`)).toBe(false);
  });
});

test('runs as the node user, whose uid the Deployment names for runAsNonRoot', () => {
  const user = instructions.filter((i) => i.stage === lastStage && i.keyword === 'USER').map((i) => i.value);
  expect(user).toEqual(['node']);
  const pod = theObject<Deployment>(loadExample(), 'Deployment', 'switchyard').spec.template.spec;
  // Kubernetes verifies runAsNonRoot by uid and cannot resolve a user name; 1000 is `node` in the official images.
  expect(pod.securityContext?.runAsUser).toBe(1000);
});
