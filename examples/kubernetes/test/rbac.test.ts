import { describe, expect, test } from 'vitest';
import type { ClusterRole, ClusterRoleBinding, Deployment } from './helpers/kube-types.js';
import { loadExample, theObject } from './helpers/manifests.js';
import { resourceKey, resourcesReadBySources } from './helpers/source-reads.js';

// The ClusterRole must let every source read what it reads, and allow nothing else. What the
// sources read is taken from their code (packages/kubernetes/src), not from a list kept here,
// so a new source that reads a new kind fails this test until the role grants it.

const objects = loadExample();
const role = theObject<ClusterRole>(objects, 'ClusterRole', 'switchyard');
const rules = role.rules ?? [];
const reads = resourcesReadBySources();
const granted = new Set(rules.flatMap((rule) => (rule.apiGroups ?? []).flatMap((group) => (rule.resources ?? []).map((resource) => resourceKey(group, resource)))));

test('the sources read the kinds this example was written for', () => {
  // A floor, not the list: it catches a scan that silently finds nothing.
  expect(reads.map((r) => resourceKey(r.group, r.resource))).toEqual(
    expect.arrayContaining(['networking.k8s.io/ingresses', 'networking.k8s.io/ingressclasses', '/services', 'discovery.k8s.io/endpointslices']),
  );
});

describe.each(reads.map((r) => [`${r.group || 'core'}/${r.resource}`, r] as const))('%s', (_name, read) => {
  test(`read by ${read.file} and granted by the ClusterRole`, () => {
    expect(granted.has(resourceKey(read.group, read.resource))).toBe(true);
  });
});

test('grants nothing the sources do not read', () => {
  const read = new Set(reads.map((r) => resourceKey(r.group, r.resource)));
  expect([...granted].filter((key) => !read.has(key))).toEqual([]);
});

test('grants only get, list and watch: no writes, no wildcards, no sub-resources, no aggregation', () => {
  expect(role.aggregationRule).toBeUndefined();
  expect(rules.length).toBeGreaterThan(0);
  for (const rule of rules) {
    expect([...(rule.verbs ?? [])].sort()).toEqual(['get', 'list', 'watch']);
    expect(rule.nonResourceURLs).toBeUndefined();
    expect(rule.resourceNames).toBeUndefined();
    for (const value of [...(rule.apiGroups ?? []), ...(rule.resources ?? [])]) {
      expect(value).not.toContain('*');
      expect(value, 'a sub-resource such as ingresses/status').not.toContain('/');
    }
  }
});

test("is bound to the service account the router's pods run as", () => {
  const binding = theObject<ClusterRoleBinding>(objects, 'ClusterRoleBinding');
  const deployment = theObject<Deployment>(objects, 'Deployment', 'switchyard');
  const account = deployment.spec.template.spec.serviceAccountName;
  expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata!.name });
  expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: account, namespace: deployment.metadata!.namespace }]);
  expect(theObject(objects, 'ServiceAccount', account).metadata?.namespace).toBe(deployment.metadata!.namespace);
});
