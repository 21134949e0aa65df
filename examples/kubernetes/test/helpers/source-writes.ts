import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KUBERNETES_SRC, sourceFiles } from './source-reads.js';

/** One request the Kubernetes package makes beyond listing and watching collections: what RBAC must grant for it. */
export interface SourceWrite {
  /** `''` for the core group. */
  readonly group: string;
  /** The plural, with its subresource: `gateways/status`, `leases`. */
  readonly resource: string;
  /** The RBAC verb of the request: `get`, `create`, `update`, `patch` or `delete`. */
  readonly verb: string;
  /**
   * Where the object lives: `cluster` for objects of every namespace the router serves (a
   * ClusterRole), `lease` for the one Lease `--lease NAMESPACE/NAME` names (a Role there).
   */
  readonly scope: 'cluster' | 'lease';
  /** The file that makes the request, relative to packages/kubernetes/src. */
  readonly file: string;
}

// The requests the package makes go through kube-client.ts. kubeWriteJson(connection, 'PUT', path, ...)
// and kubeGetJson(connection, path, ...) are found with their method and path expression.
const WRITE_CALL = /\bkubeWriteJson(?:<[^>(]*>)?\(\s*[\w.]+\s*,\s*'([A-Z]+)'\s*,\s*([^,]+),/g;
const ANY_WRITE_CALL = /(?<!function )\bkubeWriteJson(?:<[^>(]*>)?\(/g;
const GET_CALL = /\bkubeGetJson(?:<[^>(]*>)?\(\s*[\w.]+\s*,\s*([^,]+),/g;
const ANY_GET_CALL = /(?<!function )\bkubeGetJson(?:<[^>(]*>)?\(/g;
// kubeGet (a streamed GET: the reflector's watch) and the raw request function.
const RAW_CALL = /(?<!function )\b(kubeGet|kubeRequest)\(\s*[\w.]+\s*,\s*([^,]+),/g;

const VERB_OF_METHOD: Readonly<Record<string, string>> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/**
 * GET paths that need no grant of their own: the reflector's lists and watches of collections
 * (`resourcesReadBySources` finds those and rbac.test.ts checks them), and API group discovery
 * (`/apis/<group>`, which every authenticated client may read through the `system:discovery`
 * ClusterRole every cluster binds).
 */
const GETS_GRANTED_ELSEWHERE: ReadonlyArray<{ readonly file: string; readonly path: string }> = [
  { file: 'reflector.ts', path: 'this.options.path' },
  { file: 'api-group-presence.ts', path: '`/apis/${group}`' },
];

/**
 * What each path helper addresses, read from the helper's own source so a new kind or group
 * there is seen: `statusPath(write)` the status subresource of a Gateway API kind of
 * status-writer.ts's `PLURALS`, `leasePath(ns, name)` a Lease.
 */
function pathHelpers(srcDir: string): Record<string, { scope: SourceWrite['scope']; targets: Array<{ group: string; resource: string }> }> {
  const statusWriter = readFileSync(join(srcDir, 'gateway-status/status-writer.ts'), 'utf8');
  const groupVersion = /const GROUP_VERSION = '([^']+)'/.exec(statusWriter)?.[1];
  const plurals = /const PLURALS[^=]*=\s*\{([^}]*)\}/.exec(statusWriter)?.[1];
  if (groupVersion === undefined || plurals === undefined) throw new Error('status-writer.ts: GROUP_VERSION or PLURALS not found; teach this scan to read them');
  if (!/\/\$\{GROUP_VERSION\}\/[^`]*\/status`/.test(statusWriter)) throw new Error('status-writer.ts: statusPath no longer builds `/apis/${GROUP_VERSION}/.../status`; teach this scan');
  const statusTargets = [...plurals.matchAll(/:\s*'([a-z]+)'/g)].map(([, plural]) => ({ group: groupVersion.split('/')[0]!, resource: `${plural}/status` }));

  const leaseRecord = readFileSync(join(srcDir, 'lease-record.ts'), 'utf8');
  const lease = /`\/apis\/([a-z0-9.-]+)\/v[0-9a-z]+\/namespaces\/\$\{[^}]+\}\/([a-z]+)`/.exec(leaseRecord);
  if (lease === null) throw new Error('lease-record.ts: leasePath no longer builds `/apis/<group>/<version>/namespaces/${...}/<plural>`; teach this scan');

  return {
    statusPath: { scope: 'cluster', targets: statusTargets },
    leasePath: { scope: 'lease', targets: [{ group: lease[1]!, resource: lease[2]! }] },
  };
}

/**
 * The requests `@switchyard/kubernetes` makes other than its collection lists and watches,
 * found in its source (every file, subdirectories included), with the RBAC verb each needs:
 * every `kubeWriteJson` call (POST create, PUT update, PATCH patch, DELETE delete) and every
 * `kubeGetJson` of one object (get). A call this scan cannot read (a path built some other
 * way, a new path helper) throws, so a new write cannot slip past the RBAC test.
 */
export function requestsMadeBySources(srcDir = KUBERNETES_SRC): SourceWrite[] {
  const helpers = pathHelpers(srcDir);
  const found = new Map<string, SourceWrite>();
  const add = (file: string, verb: string, pathExpression: string) => {
    const helper = /^(\w+)\(/.exec(pathExpression.trim())?.[1];
    const known = helper === undefined ? undefined : helpers[helper];
    if (known === undefined) throw new Error(`${file}: a ${verb} of ${pathExpression.trim()}: a path this scan cannot read; teach it (helpers/source-writes.ts)`);
    for (const target of known.targets) {
      const key = `${target.group}/${target.resource}:${verb}`;
      if (!found.has(key)) found.set(key, { ...target, verb, scope: known.scope, file });
    }
  };
  for (const file of sourceFiles(srcDir)) {
    const text = readFileSync(join(srcDir, file), 'utf8');
    if (file === 'kube-client.ts') continue;
    const writes = [...text.matchAll(WRITE_CALL)];
    if (writes.length !== [...text.matchAll(ANY_WRITE_CALL)].length) throw new Error(`${file}: a kubeWriteJson() call without a literal method; teach this scan to read it`);
    for (const [, method, path] of writes) {
      const verb = VERB_OF_METHOD[method!];
      if (verb === undefined) throw new Error(`${file}: kubeWriteJson with method ${method}`);
      add(file, verb, path!);
    }
    const gets = [...text.matchAll(GET_CALL)];
    if (gets.length !== [...text.matchAll(ANY_GET_CALL)].length) throw new Error(`${file}: a kubeGetJson() call this scan cannot read`);
    for (const [, path] of gets) {
      if (GETS_GRANTED_ELSEWHERE.some((g) => g.file === file && g.path === path!.trim())) continue;
      add(file, 'get', path!);
    }
    for (const [, fn, path] of text.matchAll(RAW_CALL)) {
      if (fn === 'kubeGet' && GETS_GRANTED_ELSEWHERE.some((g) => g.file === file && g.path === path!.trim())) continue;
      throw new Error(`${file}: ${fn}(${path!.trim()}): a request this scan cannot read; teach it`);
    }
  }
  return [...found.values()];
}
