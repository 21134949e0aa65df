import { AddressPolicy, StaticDiscovery, isSwitchyardError, loadManifests, type EndpointSet, type ExternalNameResolver } from '@switchyard/core';
import { describe, expect, test } from 'vitest';
import { backendRef, endpointSlice, service, sliceEndpoint, thrown } from '@switchyard/test-utils';

const MANIFESTS = `
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  ports: [{ name: http, port: 80, targetPort: http }]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abc
  namespace: shop
  labels: { kubernetes.io/service-name: web }
addressType: IPv4
ports: [{ name: http, port: 8080 }]
endpoints:
  - addresses: [10.0.0.2]
    conditions: { ready: true }
  - addresses: [10.0.0.1]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: other-namespace
  namespace: blog
  labels: { kubernetes.io/service-name: web }
addressType: IPv4
ports: [{ name: http, port: 9999 }]
endpoints: [{ addresses: [10.9.9.9] }]
`;

/** Records every set pushed to it. */
function recorder() {
  const sets: EndpointSet[] = [];
  return { sets, onChange: (set: EndpointSet) => void sets.push(set), addresses: () => sets.at(-1)?.endpoints.map((e) => `${e.address}:${e.port}`) };
}

describe('StaticDiscovery', () => {
  test('reads Services and EndpointSlices from manifests, per namespace, and pushes at once', async () => {
    const discovery = new StaticDiscovery({ objects: loadManifests(MANIFESTS).objects });
    await discovery.ready();
    const seen = recorder();
    discovery.watch(backendRef('web', 'http'), seen.onChange);
    expect(seen.sets).toHaveLength(1);
    expect(seen.sets[0]).toMatchObject({ backendKey: 'shop/web:http', version: 1, stale: false });
    expect(seen.addresses()).toEqual(['10.0.0.1:8080', '10.0.0.2:8080']);
  });

  test('update: the same objects keep the set as it is; a new slice or Service object is resolved again', () => {
    const web = service('web', [{ name: 'http', port: 80, targetPort: 8080 }]);
    const slice = (address: string) => endpointSlice('web-a', 'web', [{ name: 'http', port: 8080 }], [sliceEndpoint(address)]);
    const first = slice('10.0.0.1');
    const discovery = new StaticDiscovery({ objects: [web, first] });
    const seen = recorder();
    discovery.watch(backendRef('web', 80), seen.onChange);
    discovery.update({ objects: [web, first] });
    expect(seen.sets.map((set) => set.version)).toEqual([1]);
    discovery.update({ objects: [web, slice('10.0.0.2')] });
    expect(seen.addresses()).toEqual(['10.0.0.2:8080']);
    discovery.update({ objects: [service('web', [{ name: 'http', port: 81, targetPort: 8080 }]), slice('10.0.0.2')] });
    expect(seen.sets.at(-1)).toMatchObject({ endpoints: [], problem: { code: 'SWY_DISCOVERY_PORT_NOT_FOUND' } });
    discovery.update({ objects: [web] });
    expect(seen.sets.at(-1)!.endpoints).toEqual([]);
    expect(seen.sets.map((set) => set.version)).toEqual([1, 2, 3, 4]);
  });

  test('endpoints written in code, with defaults for the conditions, win over objects', () => {
    const discovery = new StaticDiscovery({
      objects: loadManifests(MANIFESTS).objects,
      endpoints: { 'shop/web:http': [{ address: '127.0.0.1', port: 3000 }, { address: '127.0.0.2', port: 3000, ready: false, terminating: true, serving: true }] },
    });
    const seen = recorder();
    discovery.watch(backendRef('web', 'http'), seen.onChange);
    expect(seen.sets[0]!.endpoints).toEqual([
      { address: '127.0.0.1', port: 3000, ready: true, serving: true, terminating: false },
      { address: '127.0.0.2', port: 3000, ready: false, serving: true, terminating: true },
    ]);
  });

  test('update pushes changed sets only, with a new version; a deleted Service empties the set with a problem', () => {
    const objects = loadManifests(MANIFESTS).objects;
    const discovery = new StaticDiscovery({ objects });
    const seen = recorder();
    discovery.watch(backendRef('web', 80), seen.onChange);
    discovery.update({ objects }); // same content
    expect(seen.sets).toHaveLength(1);
    discovery.update({ objects: [service('web', [{ name: 'http', port: 80 }]), endpointSlice('s', 'web', [{ name: 'http', port: 8080 }], [sliceEndpoint('10.0.0.5')])] });
    expect(seen.sets).toHaveLength(2);
    expect(seen.sets[1]!.version).toBe(2);
    expect(seen.addresses()).toEqual(['10.0.0.5:8080']);
    discovery.update({ objects: [] });
    expect(seen.sets).toHaveLength(3);
    expect(seen.sets[2]!.endpoints).toEqual([]);
    expect(seen.sets[2]!.problem?.code).toBe('SWY_DISCOVERY_SERVICE_NOT_FOUND');
  });

  test('a late watcher gets the current set; an unsubscribed one hears no more', () => {
    const discovery = new StaticDiscovery({ endpoints: { 'shop/web:80': [{ address: '10.0.0.1', port: 80 }] } });
    const first = recorder();
    const stop = discovery.watch(backendRef('web', 80), first.onChange);
    const second = recorder();
    discovery.watch(backendRef('web', 80), second.onChange);
    expect(second.sets).toHaveLength(1);
    stop();
    discovery.update({ endpoints: { 'shop/web:80': [{ address: '10.0.0.2', port: 80 }] } });
    expect(first.sets).toHaveLength(1);
    expect(second.addresses()).toEqual(['10.0.0.2:80']);
  });

  test('a resource backend and an unknown port are reported, not guessed', () => {
    const discovery = new StaticDiscovery({ objects: loadManifests(MANIFESTS).objects });
    const resource = recorder();
    discovery.watch({ namespace: 'shop', resource: { kind: 'Bucket', name: 'assets' } }, resource.onChange);
    expect(resource.sets[0]).toMatchObject({ endpoints: [], problem: { code: 'SWY_DISCOVERY_RESOURCE_BACKEND' } });
    const port = recorder();
    discovery.watch(backendRef('web', 81), port.onChange);
    expect(port.sets[0]).toMatchObject({ endpoints: [], problem: { code: 'SWY_DISCOVERY_PORT_NOT_FOUND' } });
  });

  describe('ExternalName Services', () => {
    const external = service('ext', [{ name: 'https', port: 443, targetPort: 8443 }], { type: 'ExternalName', externalName: 'api.example.net' });

    /** A resolver that answers every name with `address` at once, and notes its watches and stops in `calls`. */
    function answering(address: string, calls: string[]): ExternalNameResolver {
      return {
        watchName(hostname, port, onChange, options) {
          calls.push(`watch ${hostname}`);
          onChange({ backendKey: options!.backendKey!, version: 1, endpoints: [{ address, port, ready: true, serving: true, terminating: false }], stale: false });
          return () => calls.push(`stop ${hostname}`);
        },
      };
    }

    test('without a resolver: an empty set that says why', () => {
      const seen = recorder();
      new StaticDiscovery({ objects: [external], allowExternalNames: ['api.example.net'] }).watch(backendRef('ext', 443), seen.onChange);
      expect(seen.sets[0]).toMatchObject({ endpoints: [], problem: { code: 'SWY_DISCOVERY_EXTERNAL_NAME_UNSUPPORTED' } });
    });

    test('not allowed (the default): an empty set that says why and how to allow it, and no lookup', () => {
      const calls: string[] = [];
      const resolver: ExternalNameResolver = {
        watchName(hostname) {
          calls.push(hostname);
          return () => {};
        },
      };
      for (const allowExternalNames of [undefined, [], ['other.example.net', '*.api.example.net']]) {
        const seen = recorder();
        new StaticDiscovery({ objects: [external], externalNames: resolver, ...(allowExternalNames ? { allowExternalNames } : {}) }).watch(backendRef('ext', 443), seen.onChange);
        expect(seen.sets[0]).toMatchObject({ endpoints: [], problem: { code: 'SWY_DISCOVERY_EXTERNAL_NAME_DENIED' } });
        expect(seen.sets[0]!.problem!.message).toContain('shop/ext');
        expect(seen.sets[0]!.problem!.message).toContain('spec.externalName api.example.net');
        expect(seen.sets[0]!.problem!.message).toContain('--allow-external-name api.example.net');
      }
      expect(calls).toEqual([]);
    });

    test('the allow list is kept across update unless given again; a name no longer allowed stops its watch', () => {
      const calls: string[] = [];
      const resolver = answering('192.0.2.1', calls);
      const discovery = new StaticDiscovery({ objects: [external], externalNames: resolver, allowExternalNames: ['*.example.net'] });
      const seen = recorder();
      discovery.watch(backendRef('ext', 443), seen.onChange);
      discovery.update({ objects: [external], externalNames: resolver });
      expect(seen.sets.map((s) => s.endpoints.length)).toEqual([1]);
      discovery.update({ objects: [external], externalNames: resolver, allowExternalNames: [] });
      expect(seen.sets.at(-1)).toMatchObject({ endpoints: [], problem: { code: 'SWY_DISCOVERY_EXTERNAL_NAME_DENIED' } });
      expect(calls).toEqual(['watch api.example.net', 'stop api.example.net']);
      expect(() => discovery.update({ objects: [], allowExternalNames: ['a.*.net'] })).toThrow(expect.objectContaining({ code: 'SWY_DISCOVERY_INVALID_OPTIONS', field: 'allowExternalNames[0]' }));
    });

    test('an address policy given again with the same objects resolves the name again under it', () => {
      const calls: string[] = [];
      const resolver = answering('192.0.2.1', calls);
      const discovery = new StaticDiscovery({ objects: [external], externalNames: resolver, allowExternalNames: ['*'] });
      const seen = recorder();
      discovery.watch(backendRef('ext', 443), seen.onChange);
      discovery.update({ objects: [external], externalNames: resolver, addressPolicy: new AddressPolicy({ deny: ['192.0.2.0/24'] }) });
      expect(calls).toEqual(['watch api.example.net', 'stop api.example.net', 'watch api.example.net']);
      expect(seen.sets.at(-1)).toMatchObject({ endpoints: [], problem: { code: 'SWY_DISCOVERY_ADDRESS_DENIED' } });
    });

    test('answers in a denied range are never made into endpoints, and the set says so', () => {
      let push: ((set: EndpointSet) => void) | undefined;
      const resolver: ExternalNameResolver = {
        watchName(_hostname, _port, onChange) {
          push = onChange;
          return () => {};
        },
      };
      const at = (address: string) => ({ address, port: 8443, ready: true, serving: true, terminating: false, externalName: 'api.example.net' });
      const discovery = new StaticDiscovery({ objects: [external], externalNames: resolver, allowExternalNames: ['*'], addressPolicy: new AddressPolicy({ deny: ['192.0.2.9'] }) });
      const seen = recorder();
      discovery.watch(backendRef('ext', 443), seen.onChange);
      push!({ backendKey: 'x', version: 1, endpoints: [at('169.254.169.254'), at('192.0.2.1'), at('192.0.2.9'), at('fe80::1'), at('::ffff:169.254.169.254')], stale: false });
      expect(seen.sets.at(-1)!.endpoints.map((e) => e.address)).toEqual(['192.0.2.1']);
      expect(seen.sets.at(-1)!.problem).toMatchObject({ code: 'SWY_DISCOVERY_ADDRESS_DENIED' });
      for (const text of ['shop/ext', 'api.example.net', '169.254.169.254 is in 169.254.0.0/16', 'fe80::1 is in fe80::/10', '192.0.2.9 is in 192.0.2.9', '::ffff:169.254.169.254']) {
        expect(seen.sets.at(-1)!.problem!.message).toContain(text);
      }
      push!({ backendKey: 'x', version: 2, endpoints: [at('169.254.169.254')], stale: false });
      expect(seen.sets.at(-1)).toMatchObject({ endpoints: [], problem: { code: 'SWY_DISCOVERY_ADDRESS_DENIED' } });
      push!({ backendKey: 'x', version: 3, endpoints: [at('192.0.2.1')], stale: false });
      expect(seen.sets.at(-1)!.endpoints.map((e) => e.address)).toEqual(['192.0.2.1']);
      expect(seen.sets.at(-1)!.problem).toBeUndefined();
    });

    test('with a resolver: its sets are passed on, and its watch stops with the last watcher', () => {
      const calls: string[] = [];
      const pushers: Array<(set: EndpointSet) => void> = [];
      const resolver: ExternalNameResolver = {
        watchName(hostname, port, onChange, options) {
          calls.push(`watch ${hostname}:${port} for ${options?.backendKey}`);
          pushers.push(onChange);
          return () => calls.push(`stop ${hostname}:${port}`);
        },
      };
      const discovery = new StaticDiscovery({ objects: [external], externalNames: resolver, allowExternalNames: ['api.example.net'] });
      const seen = recorder();
      const stop = discovery.watch(backendRef('ext', 'https'), seen.onChange);
      expect(calls).toEqual(['watch api.example.net:8443 for shop/ext:https']);
      const problem = { code: 'SWY_DNS_TIMEOUT', message: 'timed out', since: 1 };
      pushers[0]!({ backendKey: 'x', version: 1, endpoints: [{ address: '192.0.2.1', port: 8443, ready: true, serving: true, terminating: false }], stale: false });
      pushers[0]!({ backendKey: 'x', version: 2, endpoints: [{ address: '192.0.2.1', port: 8443, ready: true, serving: true, terminating: false }], stale: true, problem });
      expect(seen.sets.map((s) => [s.backendKey, s.endpoints.length, s.stale, s.problem?.code])).toEqual([
        ['shop/ext:https', 1, false, undefined],
        ['shop/ext:https', 1, true, 'SWY_DNS_TIMEOUT'],
      ]);
      stop();
      expect(calls).toEqual(['watch api.example.net:8443 for shop/ext:https', 'stop api.example.net:8443']);
    });
  });

  test('close() stops everything; using it afterwards is an error', async () => {
    const discovery = new StaticDiscovery();
    await discovery.close();
    expect(isSwitchyardError(thrown(() => discovery.watch(backendRef('web', 80), () => undefined)), 'SWY_DISCOVERY_CLOSED')).toBe(true);
    expect(isSwitchyardError(thrown(() => discovery.update({})), 'SWY_DISCOVERY_CLOSED')).toBe(true);
  });
});
