import { groupVersionOf, RESOURCE_TYPES, verbsOf } from './resources.js';

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

/** `/apis`: every named group with its (single) version. */
export function groupList(): Record<string, unknown> {
  const groups = [...new Set(RESOURCE_TYPES.filter((t) => t.group !== '').map(groupVersionOf))].map((groupVersion) => {
    const [name, version] = groupVersion.split('/') as [string, string];
    const entry = { groupVersion, version };
    return { name, versions: [entry], preferredVersion: entry };
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `/apis/<group>/<version>` or `/api/v1`: the resources of one group version, or undefined if none is served. */
export function resourceList(groupVersion: string): Record<string, unknown> | undefined {
  const types = RESOURCE_TYPES.filter((t) => groupVersionOf(t) === groupVersion);
  if (types.length === 0) return undefined;
  const resources = types.map((t) => {
    const resource: Record<string, unknown> = { name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: verbsOf(t) };
    if (t.shortNames.length > 0) resource['shortNames'] = [...t.shortNames];
    return resource;
  });
  const list: Record<string, unknown> = { kind: 'APIResourceList', groupVersion, resources };
  // The core group's list carries no apiVersion on the real server; named groups' lists do.
  if (groupVersion !== 'v1') list['apiVersion'] = 'v1';
  return list;
}

/** `/apis/<group>`: one group. */
export function apiGroup(group: string): Record<string, unknown> | undefined {
  const found = (groupList()['groups'] as Array<{ name: string }>).find((g) => g.name === group);
  return found && { kind: 'APIGroup', apiVersion: 'v1', ...found };
}
