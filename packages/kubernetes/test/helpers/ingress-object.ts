import { ingress, prefix, rule, type IngressObject } from '@switchyard/test-utils';

/** An Ingress as these tests store it in the fixture: `host` (default `<name>.example.com`) `/` to Service `name` port 80. */
export function ingressObject(name: string, namespace = 'shop', host = `${name}.example.com`): IngressObject {
  return ingress(name, { namespace, rules: [rule(host, prefix('/', name))] });
}
