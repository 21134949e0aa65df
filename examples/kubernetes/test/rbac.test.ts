import { describe, expect, test } from 'vitest';
import type { ClusterRole, ClusterRoleBinding, Deployment } from './helpers/kube-types.js';
import { containerArgs, flagValue, loadExample, theObject } from './helpers/manifests.js';
import { allows } from './helpers/rbac.js';
import { resourceKey, resourcesReadBySources } from './helpers/source-reads.js';
import { requestsMadeBySources } from './helpers/source-writes.js';

// The roles must let the router make every request it makes, and allow nothing else. What it
// reads and writes is taken from its code (packages/kubernetes/src), not from a list kept here,
// so a source that reads a new kind, or a new write, fails this test until a role grants it.

const objects = loadExample();
const role = theObject<ClusterRole>(objects, 'ClusterRole', 'switchyard');
const rules = role.rules ?? [];
const leaseRole = theObject<ClusterRole>(objects, 'Role');
const leaseRules = leaseRole.rules ?? [];
const deployment = theObject<Deployment>(objects, 'Deployment', 'switchyard');
const serviceAccount = { namespace: deployment.metadata!.namespace!, name: deployment.spec.template.spec.serviceAccountName! };
const [leaseNamespace, leaseName] = flagValue(containerArgs(objects), '--lease')!.split('/') as [string, string];
const reads = resourcesReadBySources();
const writes = requestsMadeBySources();
const READ_VERBS = ['get', 'list', 'watch'];

/** `group/resource:verb` for every verb each rule grants. */
function grants(ruleList: typeof rules): Set<string> {
  return new Set(ruleList.flatMap((rule) => (rule.apiGroups ?? []).flatMap((group) => (rule.resources ?? []).flatMap((resource) => (rule.verbs ?? []).map((verb) => `${resourceKey(group, resource)}:${verb}`)))));
}

test('the sources read the kinds this example was written for', () => {
  // A floor, not the list: it catches a scan that silently finds nothing.
  expect(reads.map((r) => resourceKey(r.group, r.resource))).toEqual(
    expect.arrayContaining(['networking.k8s.io/ingresses', 'networking.k8s.io/ingressclasses', '/services', 'discovery.k8s.io/endpointslices', 'gateway.networking.k8s.io/gateways']),
  );
});

test('the code writes the status subresources and the Lease this example was written for', () => {
  // A floor again: the scan found the status writer and the Lease elector.
  expect(writes.map((w) => `${resourceKey(w.group, w.resource)}:${w.verb}`)).toEqual(
    expect.arrayContaining(['gateway.networking.k8s.io/gateways/status:update', 'gateway.networking.k8s.io/httproutes/status:update', 'coordination.k8s.io/leases:update']),
  );
});

describe.each(reads.map((r) => [`${r.group || 'core'}/${r.resource}`, r] as const))('%s', (_name, read) => {
  test(`read by ${read.file}: listed and watched in every namespace, as the ClusterRole grants`, () => {
    for (const verb of ['list', 'watch']) {
      expect(allows(objects, serviceAccount, { verb, group: read.group, resource: read.resource, namespace: undefined, name: undefined }), verb).toBe(true);
    }
  });
});

describe.each(writes.map((w) => [`${w.verb} ${w.group || 'core'}/${w.resource}`, w] as const))('%s', (_name, write) => {
  if (write.scope === 'cluster') {
    test(`made by ${write.file} on objects of any namespace, and granted by the ClusterRole`, () => {
      expect(grants(rules).has(`${resourceKey(write.group, write.resource)}:${write.verb}`)).toBe(true);
      expect(allows(objects, serviceAccount, { verb: write.verb, group: write.group, resource: write.resource, namespace: 'any-namespace', name: 'any-name' })).toBe(true);
    });
  } else {
    test(`made by ${write.file} on the --lease ${leaseNamespace}/${leaseName}, and granted by the Role there, on that Lease only`, () => {
      // A create names no object (RBAC sees none), a get or update names the Lease.
      const name = write.verb === 'create' ? undefined : leaseName;
      expect(allows(objects, serviceAccount, { verb: write.verb, group: write.group, resource: write.resource, namespace: leaseNamespace, name })).toBe(true);
      expect(allows(objects, serviceAccount, { verb: write.verb, group: write.group, resource: write.resource, namespace: 'default', name })).toBe(false);
      if (name !== undefined) expect(allows(objects, serviceAccount, { verb: write.verb, group: write.group, resource: write.resource, namespace: leaseNamespace, name: 'another-lease' })).toBe(false);
    });
  }
});

test('the ClusterRole grants nothing the code does not do: get, list and watch of what it reads, the status writes it makes', () => {
  const needed = new Set([
    ...reads.flatMap((r) => READ_VERBS.map((verb) => `${resourceKey(r.group, r.resource)}:${verb}`)),
    ...writes.filter((w) => w.scope === 'cluster').map((w) => `${resourceKey(w.group, w.resource)}:${w.verb}`),
  ]);
  expect([...grants(rules)].filter((grant) => !needed.has(grant))).toEqual([]);
});

test('the Role grants nothing the Lease elector does not do', () => {
  const needed = new Set(writes.filter((w) => w.scope === 'lease').map((w) => `${resourceKey(w.group, w.resource)}:${w.verb}`));
  expect([...grants(leaseRules)].filter((grant) => !needed.has(grant))).toEqual([]);
  // Everything but create (which RBAC cannot narrow by name) is for the one Lease.
  for (const rule of leaseRules) {
    if (rule.verbs?.includes('create')) expect(rule.verbs).toEqual(['create']);
    else expect(rule.resourceNames).toEqual([leaseName]);
  }
});

test('no wildcards, no non-resource URLs, no aggregation; reads are get, list and watch together, writes only on the status subresource', () => {
  expect(role.aggregationRule).toBeUndefined();
  expect(rules.length).toBeGreaterThan(0);
  for (const rule of [...rules, ...leaseRules]) {
    expect(rule.nonResourceURLs).toBeUndefined();
    for (const value of [...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...(rule.verbs ?? [])]) expect(value).not.toContain('*');
  }
  for (const rule of rules) {
    expect(rule.resourceNames).toBeUndefined();
    const subresources = (rule.resources ?? []).filter((r) => r.includes('/'));
    if (subresources.length === 0) expect([...(rule.verbs ?? [])].sort()).toEqual(READ_VERBS);
    // A rule is reads or status writes, not both: `update` on `gateways` would let it change specs.
    else expect(subresources.map((r) => r.split('/')[1])).toEqual((rule.resources ?? []).map(() => 'status'));
  }
});

test("both roles are bound to the service account the router's pods run as, the Role in the --lease namespace", () => {
  const binding = theObject<ClusterRoleBinding>(objects, 'ClusterRoleBinding');
  expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata!.name });
  expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', ...serviceAccount }]);
  const roleBinding = theObject<ClusterRoleBinding>(objects, 'RoleBinding');
  expect(roleBinding.metadata?.namespace).toBe(leaseNamespace);
  expect(leaseRole.metadata?.namespace).toBe(leaseNamespace);
  expect(roleBinding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: leaseRole.metadata!.name });
  expect(roleBinding.subjects).toEqual([{ kind: 'ServiceAccount', ...serviceAccount }]);
  expect(theObject(objects, 'ServiceAccount', serviceAccount.name).metadata?.namespace).toBe(serviceAccount.namespace);
});
