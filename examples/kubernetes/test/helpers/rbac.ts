import type { ClusterRole, ClusterRoleBinding, KubeObject, PolicyRule } from './kube-types.js';

/** One request as RBAC authorizes it. */
export interface ResourceAttributes {
  readonly verb: string;
  /** `''` for the core group. */
  readonly group: string;
  /** The plural, with its subresource: `gateways/status`. */
  readonly resource: string;
  /** Undefined for a cluster-scoped object or a request across all namespaces. */
  readonly namespace: string | undefined;
  /** Undefined for a collection request (list, watch, create). */
  readonly name: string | undefined;
}

/** A subject: the service account `namespace/name`. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/**
 * The API request as RBAC sees it, or undefined for a path that is no resource (discovery:
 * `/api`, `/apis/<group>[/<version>]`, `/version`), which every authenticated client may read
 * through the `system:discovery` ClusterRole the API server binds.
 */
export function resourceAttributes(method: string, path: string, watch: boolean): ResourceAttributes | undefined {
  const segments = path.split('/').filter((s) => s !== '').map(decodeURIComponent);
  let rest: string[];
  let group: string;
  if (segments[0] === 'api' && segments.length >= 3) [group, rest] = ['', segments.slice(2)];
  else if (segments[0] === 'apis' && segments.length >= 4) [group, rest] = [segments[1]!, segments.slice(3)];
  else return undefined;
  let namespace: string | undefined;
  // `namespaces/NS/PLURAL...` is a namespaced request; `namespaces[/NS[/status]]` the Namespaces themselves.
  if (rest[0] === 'namespaces' && rest.length >= 3) [namespace, rest] = [rest[1], rest.slice(2)];
  const [plural, name, subresource] = rest;
  const verb = watch ? 'watch' : method === 'GET' ? (name === undefined ? 'list' : 'get') : { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method];
  if (verb === undefined || plural === undefined) throw new Error(`no RBAC verb for ${method} ${path}`);
  return { verb, group, resource: subresource === undefined ? plural : `${plural}/${subresource}`, namespace, name };
}

/** Whether `rule` allows `request` (no wildcards: the manifests use none, and rbac.test.ts keeps it so). */
export function ruleAllows(rule: PolicyRule, request: Omit<ResourceAttributes, 'namespace'>): boolean {
  return (
    (rule.verbs ?? []).includes(request.verb) &&
    (rule.apiGroups ?? []).includes(request.group) &&
    (rule.resources ?? []).includes(request.resource) &&
    // resourceNames narrow to named objects: a collection request (list, watch, create) names none, so it never matches one.
    (rule.resourceNames === undefined || (request.name !== undefined && rule.resourceNames.includes(request.name)))
  );
}

/**
 * Whether the manifests' RBAC lets `subject` make `request`, as the API server's RBAC
 * authorizer decides: a ClusterRole bound by a ClusterRoleBinding anywhere, a Role (or a
 * ClusterRole) bound by a RoleBinding in the binding's namespace only.
 */
export function allows(objects: readonly KubeObject[], subject: ServiceAccountRef, request: ResourceAttributes): boolean {
  const bindsSubject = (binding: ClusterRoleBinding) => (binding.subjects ?? []).some((s) => s.kind === 'ServiceAccount' && s.name === subject.name && s.namespace === subject.namespace);
  const roleNamed = (kind: string, name: string, namespace?: string) =>
    objects.find((o) => o.kind === kind && o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace)) as ClusterRole | undefined;
  for (const object of objects) {
    if (object.kind !== 'ClusterRoleBinding' && object.kind !== 'RoleBinding') continue;
    const binding = object as ClusterRoleBinding;
    if (!bindsSubject(binding)) continue;
    const bindingNamespace = object.kind === 'RoleBinding' ? object.metadata?.namespace : undefined;
    if (bindingNamespace !== undefined && request.namespace !== bindingNamespace) continue;
    const role = binding.roleRef.kind === 'Role' ? roleNamed('Role', binding.roleRef.name, bindingNamespace) : roleNamed('ClusterRole', binding.roleRef.name);
    if ((role?.rules ?? []).some((rule) => ruleAllows(rule, request))) return true;
  }
  return false;
}
