/**
 * The Services and EndpointSlices of the spec cases' backends. Each backend is a Service on
 * port 8080 (the port every backendRef names) whose one endpoint is 127.0.0.1 on a placeholder
 * port; an end-to-end runner starts one upstream per backend and puts its port in with
 * `fillBackendPorts`. The reference matcher never reads them.
 */

/** The Service port every backendRef of the spec cases names. */
export const BACKEND_SERVICE_PORT = 8080;

const PLACEHOLDER = /__port__([a-z0-9-]+)__([a-z0-9-]+)__/g;

/** The placeholder standing for the real port of backend `namespace/name`. */
export function backendPortPlaceholder(namespace: string, name: string): string {
  return `__port__${namespace}__${name}__`;
}

/** `manifests` with each backend's placeholder port replaced by `portOf(namespace, name)`. */
export function fillBackendPorts(manifests: string, portOf: (namespace: string, name: string) => number): string {
  return manifests.replace(PLACEHOLDER, (_placeholder, namespace: string, name: string) => String(portOf(namespace, name)));
}

/** Every backend `{ namespace, name }` a case's manifests hold a placeholder for. */
export function backendsOf(manifests: string): Array<{ namespace: string; name: string }> {
  const seen = new Map<string, { namespace: string; name: string }>();
  for (const [, namespace, name] of manifests.matchAll(PLACEHOLDER)) seen.set(`${namespace}/${name}`, { namespace: namespace!, name: name! });
  return [...seen.values()];
}

/** YAML documents (each starting with `---`) for a Service and an EndpointSlice per name. */
export function backendServices(namespace: string, ...names: string[]): string {
  return names.map((name) => serviceYaml(namespace, name)).join('');
}

function serviceYaml(namespace: string, name: string): string {
  const port = backendPortPlaceholder(namespace, name);
  return `
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  ports:
  - name: http
    port: ${BACKEND_SERVICE_PORT}
    targetPort: ${port}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${name}-1
  namespace: ${namespace}
  labels:
    kubernetes.io/service-name: ${name}
addressType: IPv4
endpoints:
- addresses: ["127.0.0.1"]
  conditions:
    ready: true
ports:
- name: http
  port: ${port}
  protocol: TCP
`;
}
