import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { Container, Deployment, KubeObject } from './kube-types.js';

/** examples/kubernetes, with a trailing slash. */
export const EXAMPLE_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** The repository root: the Docker build context. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const MANIFESTS_DIR = join(EXAMPLE_DIR, 'manifests');
export const DEMO_DIR = join(MANIFESTS_DIR, 'demo');

/** The extensions `kubectl apply -f DIR` reads. */
const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** One object of a manifest directory and where it came from. */
export interface ManifestEntry {
  /** The file name inside its directory. */
  readonly file: string;
  /** 1-based document number in the file. */
  readonly document: number;
  readonly object: KubeObject;
}

/** The manifest files of `dir` in the order `kubectl apply -f dir` reads them (lexical, not recursive). */
export function manifestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && MANIFEST_EXTENSIONS.some((ext) => entry.name.endsWith(ext)))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Every object in `dir`, in apply order. A document that does not parse throws, naming the
 * file and document: a manifest the user applies must not half-parse.
 */
export function loadManifestDir(dir: string): ManifestEntry[] {
  const entries: ManifestEntry[] = [];
  for (const file of manifestFiles(dir)) {
    const documents = parseAllDocuments(readFileSync(join(dir, file), 'utf8'), { uniqueKeys: true });
    const list = Array.isArray(documents) ? documents : [documents];
    list.forEach((document, index) => {
      const problem = document.errors[0];
      if (problem) throw new Error(`${file}#${index + 1}: ${problem.message}`);
      const value: unknown = document.toJS();
      if (value === null || value === undefined) return;
      entries.push({ file, document: index + 1, object: value as KubeObject });
    });
  }
  return entries;
}

/** The objects of `manifests/` (not the demo). */
export function loadExample(): KubeObject[] {
  return loadManifestDir(MANIFESTS_DIR).map((entry) => entry.object);
}

/** The one object of `kind` (and `name`, when given); throws when there is not exactly one. */
export function theObject<T extends KubeObject>(objects: readonly KubeObject[], kind: string, name?: string): T {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0] as T;
}

/** The router's container in the example's Deployment. */
export function routerContainer(objects: readonly KubeObject[] = loadExample()): Container {
  const deployment = theObject<Deployment>(objects, 'Deployment', 'switchyard');
  const container = deployment.spec.template.spec.containers.find((c) => c.name === 'switchyard');
  if (!container) throw new Error('the Deployment has no container named switchyard');
  return container;
}

/** The router's command line as the Deployment gives it (the image's ENTRYPOINT is the `switchyard` bin). */
export function containerArgs(objects?: readonly KubeObject[]): string[] {
  const container = routerContainer(objects);
  if (container.command) throw new Error('the container overrides the image ENTRYPOINT; the tests expect args only');
  return [...(container.args ?? [])];
}

/** The value following `flag` in `args`; undefined when the flag is absent. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  if (index >= 0) return args[index + 1];
  const inline = args.find((a) => a.startsWith(`${flag}=`));
  return inline?.slice(flag.length + 1);
}

/** The port of a `HOST:PORT` flag value (`0.0.0.0:9901` → 9901). */
export function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}

/** `args` with the value of each flag in `values` replaced (`--flag value` or `--flag=value` forms). */
export function replaceFlagValues(args: readonly string[], values: Readonly<Record<string, string>>): string[] {
  const out = [...args];
  for (const [flag, value] of Object.entries(values)) {
    const index = out.indexOf(flag);
    const inline = out.findIndex((a) => a.startsWith(`${flag}=`));
    if (index >= 0 && index + 1 < out.length) out[index + 1] = value;
    else if (inline >= 0) out[inline] = `${flag}=${value}`;
    else throw new Error(`the container args have no ${flag} to replace`);
  }
  return out;
}
