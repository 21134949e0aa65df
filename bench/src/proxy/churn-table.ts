import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ingress } from '@switchyard/core';
import { createRandom, type Random } from '../match/prng.js';
import { shuffle } from '../match/workload.js';
import { servicesAt, SERVICES_FILE } from './cli-manifests.js';
import { manifestsYaml, type ManifestValue } from './manifest-yaml.js';
import type { HostPath, RequestList } from './request-list.js';

/**
 * The config-churn table (issue 16): 10,000 Ingress paths in 100 files, one Ingress of 100
 * paths each, on 100 hosts that every file shares with four others, so a host's rules merge
 * from five Ingresses, as when teams share a domain. File f holds 5 blocks of 20 paths, block
 * k on host `app-{(f + 20k) mod 100}.churn.test`, paths `/team-{f}/svc-{k}/ep-{j}`; one in four
 * (j = 3, 7, ...) is Exact, the others Prefix. Every backend is Service `team-{f}` port 80 in
 * namespace `churn`, whose EndpointSlice points at the upstream.
 */
export const CHURN_FILES = 100;
export const CHURN_PATHS_PER_FILE = 100;
export const CHURN_HOSTS = 100;
const BLOCKS_PER_FILE = 5;
const PATHS_PER_BLOCK = CHURN_PATHS_PER_FILE / BLOCKS_PER_FILE;
/** The elements of each block the load asks for: a Prefix rule (one element deeper) and an Exact one. */
const LOADED_PATHS = [0, 3] as const;
/** The path each rewrite changes: the file's last, an Exact path the load never asks for. */
const CHURNED_BLOCK = BLOCKS_PER_FILE - 1;
const CHURNED_PATH = PATHS_PER_BLOCK - 1;
const NAMESPACE = 'churn';

/** A rewrite of one file: the file and the path its churned rule has from then on. */
export interface ChurnChange {
  readonly file: number;
  /** 1 for a file's first rewrite, 2 for its second, ... (0 is the table as first written). */
  readonly revision: number;
  readonly host: string;
  readonly path: string;
}

export function churnHost(file: number, block: number): string {
  return `app-${(file + block * (CHURN_HOSTS / BLOCKS_PER_FILE)) % CHURN_HOSTS}.churn.test`;
}

function rulePath(file: number, block: number, index: number): string {
  return `/team-${file}/svc-${block}/ep-${index}`;
}

/** The churned rule's path at a revision: `/team-7/svc-4/ep-19`, then `/team-7/svc-4/ep-19-v1`, ... */
export function churnedPath(file: number, revision: number): string {
  return rulePath(file, CHURNED_BLOCK, CHURNED_PATH) + (revision === 0 ? '' : `-v${revision}`);
}

/** The host of file f's churned rule. */
export function churnedHost(file: number): string {
  return churnHost(file, CHURNED_BLOCK);
}

/** File f's Ingress with its churned rule at `revision`. */
export function churnIngress(file: number, revision: number): Ingress {
  const name = `team-${file}`;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: NAMESPACE, creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: {
      rules: Array.from({ length: BLOCKS_PER_FILE }, (_, block) => ({
        host: churnHost(file, block),
        http: {
          paths: Array.from({ length: PATHS_PER_BLOCK }, (_, index) => ({
            path: block === CHURNED_BLOCK && index === CHURNED_PATH ? churnedPath(file, revision) : rulePath(file, block, index),
            pathType: index % 4 === 3 ? ('Exact' as const) : ('Prefix' as const),
            backend: { service: { name, port: { number: 80 } } },
          })),
        },
      })),
    },
  };
}

export function churnFileName(file: number): string {
  return `team-${String(file).padStart(3, '0')}.yaml`;
}

/**
 * Writes the table into `dir` (100 Ingress files and `services.yaml`) and returns the
 * directory. Its Services and EndpointSlices point at the upstream.
 */
export function writeChurnTable(dir: string, upstreamPort: number): string {
  mkdirSync(dir, { recursive: true });
  const ingresses = Array.from({ length: CHURN_FILES }, (_, file) => churnIngress(file, 0));
  ingresses.forEach((ingress, file) => writeFileSync(join(dir, churnFileName(file)), manifestsYaml([ingress as unknown as ManifestValue])));
  writeFileSync(join(dir, SERVICES_FILE), manifestsYaml(servicesAt(ingresses, upstreamPort)));
  return dir;
}

/**
 * Rewrites one file with its churned path at the change's revision, as a deploy tool does:
 * the new text goes to a temporary name the CLI does not read (`.tmp`), then is renamed over
 * the file, so the CLI never reads half a file.
 */
export function writeChurnChange(dir: string, change: ChurnChange): void {
  const file = join(dir, churnFileName(change.file));
  writeFileSync(`${file}.tmp`, manifestsYaml([churnIngress(change.file, change.revision) as unknown as ManifestValue]));
  renameSync(`${file}.tmp`, file);
}

/**
 * The load: 1,000 routes, 10 of each file (2 per block: the Prefix rule j = 0 asked one element
 * deeper, `/team-7/svc-0/ep-0/items`, and the Exact rule j = 3), over all 100 hosts, in an order
 * shuffled from the seed so each load connection's slice spans many hosts and files. None is
 * the churned path, so every request routes the same before and after every change.
 */
export function churnRequestList(seed: number): RequestList {
  const requests: HostPath[] = [];
  for (let file = 0; file < CHURN_FILES; file++) {
    for (let block = 0; block < BLOCKS_PER_FILE; block++) {
      for (const index of LOADED_PATHS) {
        const path = rulePath(file, block, index);
        requests.push({ host: churnHost(file, block), path: index % 4 === 3 ? path : `${path}/items` });
      }
    }
  }
  const random: Random = createRandom(seed);
  return { requests: shuffle(requests, random), hosts: CHURN_HOSTS, fingerprint: undefined };
}
