import { createHash } from 'node:crypto';
import type { HTTPIngressPath, Ingress, IngressBackend, PathType } from '@switchyard/core';
import { createRandom, deriveSeed, type Random } from './prng.js';
import type { TableSize } from './sizes.js';
import { ACTIONS, AREAS, DOMAINS, NAMESPACES, RESOURCES, SERVICES, VERSIONS } from './vocabulary.js';

/** The seed every run uses unless `--seed` says otherwise. */
export const DEFAULT_SEED = 20_240_601;

/** One path rule as generated, before it is grouped into Ingresses. */
export interface PathEntry {
  /** The rule host as written: `api-3.example.com` or `*.zone-2.example.net`. */
  readonly host: string;
  readonly path: string;
  readonly pathType: PathType;
}

/** A rule host of the workload and the rules written for it. */
export interface HostPlan {
  readonly name: string;
  readonly wildcard: boolean;
  /**
   * The parent domain a wildcard covers (`zone-2.example.net`), or, for an exact host
   * inside such a domain, that domain: requests to it fall through to the wildcard.
   */
  readonly zone: string | undefined;
  readonly entries: PathEntry[];
  /** Whether a Prefix `/` catches every path of this host. */
  readonly hasRoot: boolean;
}

export interface Workload {
  readonly size: TableSize;
  readonly seed: number;
  readonly ingresses: Ingress[];
  readonly hosts: readonly HostPlan[];
  /** Path rules in all Ingresses: `size.paths`, conflicts included. */
  readonly pathCount: number;
  /** Rules that repeat an older (host, path, type) in another Ingress: one conflict each. */
  readonly conflicts: number;
  /** A hash of the Ingresses, so a worker can prove it rebuilt the same workload. */
  readonly fingerprint: string;
}

/** Share of hosts that are `*.` wildcards (none when there is a single host). */
const WILDCARD_SHARE = 0.2;
/** Share of exact hosts placed inside a wildcard's domain, where tiers fall through. */
const ZONED_EXACT_SHARE = 0.25;
/** Path counts per host fall off as rank^-SKEW: a few big API hosts, a long tail of small ones. */
const HOST_SKEW = 0.6;
/** Share of path rules that repeat an existing rule in a newer or older Ingress. */
const CONFLICT_SHARE = 0.005;
/** Share of hosts with a Prefix `/` catch-all; only hosts of some size get one, small APIs seldom do. */
const ROOT_RULE_SHARE = 0.25;
const ROOT_RULE_MIN_PATHS = 20;
const MAX_PATHS_PER_INGRESS = 12;
/** Share of Ingresses that carry a second rule (another host), so fields like `spec.rules[1]` occur. */
const SECOND_RULE_SHARE = 0.1;
export const EPOCH = Date.UTC(2023, 0, 1);
export const TWO_YEARS_S = 2 * 365 * 24 * 3600;

/**
 * Builds the Ingresses of one table size, deterministically from the seed: `size.paths`
 * path rules over `size.hosts` rule hosts, exact and wildcard, Exact, Prefix and
 * ImplementationSpecific mixed, paths 1-4 elements deep, a few conflicts.
 */
export function generateWorkload(size: TableSize, seed: number = DEFAULT_SEED): Workload {
  const random = createRandom(deriveSeed(seed, `workload:${size.paths}:${size.hosts}`));
  const conflicts = Math.floor(size.paths * CONFLICT_SHARE);
  const hosts = planHosts(size.hosts, random);
  const counts = spreadPaths(size.paths - conflicts, hosts.length);
  const plans = hosts.map((host, rank) => fillHost(host, counts[rank]!, random));
  const ingresses = groupIntoIngresses(plans, random);
  const all = plans.flatMap((plan) => plan.entries);
  for (let i = 0; i < conflicts; i++) {
    const copy = random.pick(all);
    ingresses.push(makeIngress(`conflict-${i}`, random, [{ host: copy.host, entries: [copy] }]));
  }
  const fingerprint = createHash('sha256').update(JSON.stringify(ingresses)).digest('hex').slice(0, 16);
  return { size, seed, ingresses, hosts: plans, pathCount: all.length + conflicts, conflicts, fingerprint };
}

export interface HostName {
  readonly name: string;
  readonly wildcard: boolean;
  readonly zone: string | undefined;
}

export function planHosts(count: number, random: Random): HostName[] {
  const wildcards = count === 1 ? 0 : Math.max(1, Math.round(count * WILDCARD_SHARE));
  const hosts: HostName[] = [];
  for (let k = 0; k < wildcards; k++) {
    const zone = `zone-${k}.example.net`;
    hosts.push({ name: `*.${zone}`, wildcard: true, zone });
  }
  for (let i = 0; i < count - wildcards; i++) {
    const service = random.pick(SERVICES);
    if (wildcards > 0 && random.chance(ZONED_EXACT_SHARE)) {
      const zone = `zone-${random.int(wildcards)}.example.net`;
      hosts.push({ name: `${service}-${i}.${zone}`, wildcard: false, zone });
    } else {
      hosts.push({ name: `${service}-${i}.${random.pick(DOMAINS)}`, wildcard: false, zone: undefined });
    }
  }
  // Shuffled, so the big hosts of the skewed spread are a mix of exact and wildcard ones.
  return shuffle(hosts, random);
}

/** Splits `total` rules over `hosts` hosts, at least one each, falling off with rank. */
export function spreadPaths(total: number, hosts: number): number[] {
  const weights = Array.from({ length: hosts }, (_, rank) => (rank + 1) ** -HOST_SKEW);
  const sum = weights.reduce((a, b) => a + b, 0);
  const spare = total - hosts;
  const counts = weights.map((weight) => 1 + Math.floor((spare * weight) / sum));
  let left = total - counts.reduce((a, b) => a + b, 0);
  for (let rank = 0; left > 0; rank = (rank + 1) % hosts, left--) counts[rank]!++;
  return counts;
}

function fillHost(host: HostName, count: number, random: Random): HostPlan {
  const entries: PathEntry[] = [];
  const taken = new Set<string>();
  const hasRoot = count >= ROOT_RULE_MIN_PATHS && random.chance(ROOT_RULE_SHARE);
  if (hasRoot) {
    entries.push({ host: host.name, path: '/', pathType: 'Prefix' });
    taken.add('prefix /');
  }
  // Most hosts have a main area (`/api/...`) that many of their paths share.
  const mainArea = random.pick(AREAS);
  let attempts = 0;
  while (entries.length < count) {
    attempts++;
    const pathType = pickPathType(random);
    let path = makePath(mainArea, random);
    // A crowded host runs out of word combinations: number the extra paths.
    if (attempts > count * 20) path += `/section-${attempts}`;
    const kind = pathType === 'Exact' ? 'exact' : 'prefix';
    if (taken.has(`${kind} ${path}`)) continue;
    taken.add(`${kind} ${path}`);
    // Prefix ignores a trailing slash; some manifests write one anyway.
    const written = pathType === 'Prefix' && random.chance(0.1) ? `${path}/` : path;
    entries.push({ host: host.name, path: written, pathType });
  }
  return { ...host, entries, hasRoot };
}

function pickPathType(random: Random): PathType {
  const roll = random.next();
  return roll < 0.55 ? 'Prefix' : roll < 0.9 ? 'Exact' : 'ImplementationSpecific';
}

/** A path of 1-4 elements: area, then version or resource, then resource, then action. */
export function makePath(mainArea: string, random: Random): string {
  const roll = random.next();
  const depth = roll < 0.2 ? 1 : roll < 0.55 ? 2 : roll < 0.85 ? 3 : 4;
  const elements = [random.chance(0.4) ? mainArea : random.pick(AREAS)];
  if (depth >= 2) elements.push(random.chance(0.3) ? random.pick(VERSIONS) : random.pick(RESOURCES));
  if (depth >= 3) elements.push(random.pick(RESOURCES));
  if (depth >= 4) elements.push(random.pick(ACTIONS));
  return '/' + elements.join('/');
}

interface RuleDraft {
  readonly host: string;
  readonly entries: readonly PathEntry[];
}

/** Cuts each host's rules into Ingresses of 1-12 paths, as teams write them; some get a second host. */
function groupIntoIngresses(plans: readonly HostPlan[], random: Random): Ingress[] {
  const drafts: RuleDraft[] = [];
  for (const plan of plans) {
    for (let start = 0; start < plan.entries.length; ) {
      const take = random.between(1, MAX_PATHS_PER_INGRESS);
      drafts.push({ host: plan.name, entries: plan.entries.slice(start, start + take) });
      start += take;
    }
  }
  const ingresses: Ingress[] = [];
  let pending: RuleDraft[] = [];
  for (const draft of shuffle(drafts, random)) {
    if (pending.length > 0 && (pending.length === 2 || !random.chance(SECOND_RULE_SHARE))) {
      ingresses.push(makeIngress(`${slug(pending[0]!.host)}-${ingresses.length}`, random, pending));
      pending = [];
    }
    pending.push(draft);
  }
  if (pending.length > 0) ingresses.push(makeIngress(`${slug(pending[0]!.host)}-${ingresses.length}`, random, pending));
  return ingresses;
}

function makeIngress(name: string, random: Random, rules: readonly RuleDraft[]): Ingress {
  const created = new Date(EPOCH + random.int(TWO_YEARS_S) * 1000).toISOString().replace('.000Z', 'Z');
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: random.pick(NAMESPACES), creationTimestamp: created },
    spec: {
      ingressClassName: 'switchyard',
      rules: rules.map((rule) => ({
        host: rule.host,
        http: { paths: rule.entries.map((entry): HTTPIngressPath => ({ path: entry.path, pathType: entry.pathType, backend: makeBackend(random) })) },
      })),
    },
  };
}

function makeBackend(random: Random): IngressBackend {
  const name = `${random.pick(SERVICES)}-${random.int(500)}`;
  const port = random.chance(0.7) ? { number: random.pick([80, 8080, 3000]) } : { name: random.pick(['http', 'web']) };
  return { service: { name, port } };
}

export function slug(host: string): string {
  return host.replace('*.', 'wildcard-').replaceAll('.', '-');
}

export function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
