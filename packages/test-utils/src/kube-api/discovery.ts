import { groupVersionOf, statusVerbs, verbsOf, type ResourceType } from './resources.js';

/** The `/version` answer; the numbers say which API server the fixture imitates. */
export function versionInfo(): Record<string, string> {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0+switchyard-fixture',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** `/api`: the legacy core group's versions. */
export function coreVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

/**
 * `/apis`: every named group of `types` with its versions. The preferred version is the most
 * stable one (`v1` over `v1beta1`), listed first, as the real server orders them.
 */
export function groupList(types: readonly ResourceType[]): Record<string, unknown> {
  const versionsByGroup = new Map<string, string[]>();
  for (const type of types) {
    if (type.group === '') continue;
    const versions = versionsByGroup.get(type.group) ?? [];
    if (!versions.includes(type.version)) versions.push(type.version);
    versionsByGroup.set(type.group, versions);
  }
  const groups = [...versionsByGroup].map(([name, versions]) => {
    const entries = versions.sort(byStability).map((version) => ({ groupVersion: `${name}/${version}`, version }));
    return { name, versions: entries, preferredVersion: entries[0]! };
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/**
 * `/apis/<group>/<version>` or `/api/v1`: the resources of one group version, each followed by
 * its `status` subresource where it has one, or undefined if none is served.
 */
export function resourceList(types: readonly ResourceType[], groupVersion: string): Record<string, unknown> | undefined {
  const inVersion = types.filter((t) => groupVersionOf(t) === groupVersion);
  if (inVersion.length === 0) return undefined;
  const resources = inVersion.flatMap((t) => {
    const resource: Record<string, unknown> = { name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: verbsOf(t) };
    if (t.shortNames.length > 0) resource['shortNames'] = [...t.shortNames];
    if (t.categories) resource['categories'] = [...t.categories];
    if (!t.statusSubresource) return [resource];
    // Subresources carry an empty singularName on the real server.
    return [resource, { name: `${t.plural}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: statusVerbs() }];
  });
  const list: Record<string, unknown> = { kind: 'APIResourceList', groupVersion, resources };
  // The core group's list carries no apiVersion on the real server; named groups' lists do.
  if (groupVersion !== 'v1') list['apiVersion'] = 'v1';
  return list;
}

/** `/apis/<group>`: one group. */
export function apiGroup(types: readonly ResourceType[], group: string): Record<string, unknown> | undefined {
  const found = (groupList(types)['groups'] as Array<{ name: string }>).find((g) => g.name === group);
  return found && { kind: 'APIGroup', apiVersion: 'v1', ...found };
}

// Kubernetes version priority: GA before beta before alpha, higher numbers first within each.
function byStability(a: string, b: string): number {
  return stabilityRank(b) - stabilityRank(a);
}

function stabilityRank(version: string): number {
  const match = /^v(\d+)(?:(beta|alpha)(\d+))?$/.exec(version);
  if (!match) return 0;
  const level = match[2] === undefined ? 3 : match[2] === 'beta' ? 2 : 1;
  return level * 1_000_000 + Number(match[1]) * 1000 + Number(match[3] ?? 0);
}
