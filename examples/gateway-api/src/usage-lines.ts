import type { GatewayApiExample } from './gateway-api-example.js';

/** The Service whose copies of requests the example prints: a mirror's answer reaches no client. */
export const MIRROR_SERVICE = 'shadow';

/** The lines the example prints once serving: where it listens, and curl commands showing each route. */
export function usageLines(example: Pick<GatewayApiExample, 'urls' | 'caFile'>): string[] {
  const { http, https, admin } = example.urls;
  const httpsPort = new URL(https).port;
  // curl sends SNI and Host from the URL: --resolve points the name at the local listener.
  const shop = `curl --cacert ${example.caFile} --resolve shop.example.test:${httpsPort}:127.0.0.1 https://shop.example.test:${httpsPort}`;
  return [
    `Switchyard is serving the Gateway demo/edge: listener port 8080 (HTTP) on ${http}, 8443 (HTTPS, *.example.test) on ${https}${admin ? `, admin on ${admin}` : ''}.`,
    `The HTTPS certificate was minted for this run; its CA is ${example.caFile}`,
    '',
    'Try it:',
    `  ${shop}/                  # canary: shop-v1 about 9 times in 10, shop-v2 the rest`,
    `  ${shop}/ -H 'x-beta: on'  # header rule: always shop-v2`,
    `  curl -i -H 'Host: shop.example.test' '${http}/cart?id=7' # 301, Location: https://shop.example.test:8443/cart?id=7`,
    `  curl -H 'Host: api.example.test' ${http}/api/orders/7    # rewrite: api answers GET /v2/orders/7; the copy to ${MIRROR_SERVICE} is printed here`,
    ...(admin ? [`  curl ${admin}/routes                               # the HTTPRoutes, their backends and the Gateway's status`] : []),
    '',
    'Edit the files in manifests/ and the gateway reloads them. Ctrl-C stops everything.',
  ];
}
