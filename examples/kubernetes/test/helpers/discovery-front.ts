import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A resource type of a real API server (Kubernetes 1.32) that the KubeApiServer fixture does not serve. */
export interface ExtraResource {
  /** `''` for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

/**
 * The kinds of the example's manifests that the fixture does not serve, as a real API server
 * publishes them in discovery. kubectl maps each manifest's apiVersion and kind through
 * discovery; a kind or version missing here (or misspelt in a manifest) fails the mapping, as
 * it would on a cluster. Add a kind here only as the API server defines it.
 */
export const EXTRA_RESOURCES: readonly ExtraResource[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  { group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', plural: 'clusterroles', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', plural: 'rolebindings', namespaced: true },
];

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const groupVersion = (r: ExtraResource) => (r.group === '' ? r.version : `${r.group}/${r.version}`);

/** A running front: its URL for kubectl, and the paths it answered itself. */
export interface DiscoveryFront {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * An HTTP front for the KubeApiServer fixture at `target` that adds `extra` resource types to
 * its discovery documents and answers GETs for objects of those types with 404 NotFound
 * (nothing of them is stored, so `apply` creates them). Everything else, discovery of the
 * fixture's own types and every request for them, passes through to the fixture unchanged.
 */
export async function startDiscoveryFront(target: string, extra: readonly ExtraResource[] = EXTRA_RESOURCES): Promise<DiscoveryFront> {
  const server: Server = createServer((req, res) => {
    handle(target, extra, req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(target: string, extra: readonly ExtraResource[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://front').pathname.replace(/\/+$/, '') || '/';
  const segments = path.split('/').filter((s) => s !== '');
  if (req.method === 'GET' && (path === '/apis' || isGroupVersionPath(segments))) {
    const gv = segments[0] === 'api' ? segments[1]! : `${segments[1]}/${segments[2]}`;
    const upstream = await fetchJson(target, path);
    if (path === '/apis') return sendJson(res, 200, withGroups(upstream.body as GroupList, extra));
    const mine = extra.filter((r) => groupVersion(r) === gv);
    if (mine.length === 0) return sendJson(res, upstream.status, upstream.body);
    const list = (upstream.status === 200 ? upstream.body : { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: [] }) as ResourceList;
    return sendJson(res, 200, { ...list, resources: [...list.resources, ...mine.map(resourceEntry)] });
  }
  const owned = extraObjectPath(segments, extra);
  if (owned && req.method === 'GET') {
    const { resource, name } = owned;
    if (name === undefined) return sendJson(res, 200, { kind: `${resource.kind}List`, apiVersion: groupVersion(resource), metadata: { resourceVersion: '1' }, items: [] });
    const qualified = resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
    return sendJson(res, 404, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `${qualified} "${name}" not found`,
      reason: 'NotFound',
      details: { name, group: resource.group, kind: resource.plural },
      code: 404,
    });
  }
  proxy(target, req, res);
}

/** `/api/v1` or `/apis/<group>/<version>`. */
function isGroupVersionPath(segments: readonly string[]): boolean {
  return (segments[0] === 'api' && segments.length === 2) || (segments[0] === 'apis' && segments.length === 3);
}

/** `/api(s)/<gv>[/namespaces/<ns>]/<plural>[/<name>]` for one of the extra types. */
function extraObjectPath(segments: readonly string[], extra: readonly ExtraResource[]): { resource: ExtraResource; name: string | undefined } | undefined {
  let rest: readonly string[];
  let gv: string;
  if (segments[0] === 'api' && segments.length >= 3) {
    gv = segments[1]!;
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    gv = `${segments[1]}/${segments[2]}`;
    rest = segments.slice(3);
  } else return undefined;
  // `namespaces/<ns>/...` is a namespaced path unless it is the Namespace object itself.
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  if (rest.length < 1 || rest.length > 2) return undefined;
  const resource = extra.find((r) => groupVersion(r) === gv && r.plural === rest[0]);
  return resource && { resource, name: rest[1] };
}

interface GroupVersionEntry {
  groupVersion: string;
  version: string;
}
interface GroupList {
  kind: string;
  apiVersion: string;
  groups: Array<{ name: string; versions: GroupVersionEntry[]; preferredVersion: GroupVersionEntry }>;
}
interface ResourceList {
  kind: string;
  apiVersion?: string;
  groupVersion: string;
  resources: unknown[];
}

function withGroups(list: GroupList, extra: readonly ExtraResource[]): GroupList {
  const groups = [...list.groups];
  for (const resource of extra) {
    if (resource.group === '' || groups.some((g) => g.name === resource.group)) continue;
    const entry = { groupVersion: groupVersion(resource), version: resource.version };
    groups.push({ name: resource.group, versions: [entry], preferredVersion: entry });
  }
  return { ...list, groups };
}

function resourceEntry(resource: ExtraResource): Record<string, unknown> {
  return { name: resource.plural, singularName: resource.kind.toLowerCase(), namespaced: resource.namespaced, kind: resource.kind, verbs: VERBS };
}

async function fetchJson(target: string, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${target}${path}`, { headers: { accept: 'application/json' } });
  return { status: response.status, body: await response.json() };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

function proxy(target: string, req: IncomingMessage, res: ServerResponse): void {
  const upstream = request(`${target}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers: { ...req.headers, host: new URL(target).host } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', (error) => res.destroy(error));
  req.pipe(upstream);
}
