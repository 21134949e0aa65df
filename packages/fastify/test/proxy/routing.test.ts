import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { request } from 'undici';
import { ERROR_HEADER } from '@switchyard/fastify';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { rawExchange } from '../helpers/raw-http.js';
import { type SeenRequest, startUpstream, type Upstream } from '@switchyard/test-utils';

let shop: Upstream, api: Upstream, fallback: Upstream, wildcard: Upstream;
let gw: TestGateway;

beforeAll(async () => {
  [shop, api, fallback, wildcard] = await Promise.all([startUpstream('shop'), startUpstream('api'), startUpstream('fallback'), startUpstream('wildcard')]);
  gw = await startTestGateway(
    [
      ingress(
        'shop',
        [
          ['shop.example.com', '/', 'Prefix', 'shop', 80],
          ['shop.example.com', '/api', 'Prefix', 'api', 80],
          ['shop.example.com', '/api/health', 'Exact', 'shop', 80],
          ['*.example.com', '/', 'Prefix', 'wildcard', 80],
          [undefined, '/empty', 'Prefix', 'empty', 80],
        ],
        ['fallback', 80],
      ),
    ],
    { 'default/shop:80': at(shop.port), 'default/api:80': at(api.port), 'default/fallback:80': at(fallback.port), 'default/wildcard:80': at(wildcard.port), 'default/empty:80': [] },
  );
});
afterAll(async () => {
  await gw.close();
  await Promise.all([shop, api, fallback, wildcard].map((u) => u.close()));
});

async function get(host: string, path: string) {
  const response = await request(`${gw.url}${path}`, { headers: { host } });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, echo: response.headers['x-upstream'] ? (JSON.parse(text) as SeenRequest) : undefined };
}

describe('routing', () => {
  test.each([
    ['shop.example.com', '/', 'shop'],
    ['shop.example.com', '/api/orders/42', 'api'],
    ['shop.example.com', '/api/health', 'shop'],
    ['shop.example.com', '/api/health/deep', 'api'],
    ['SHOP.example.com.:8080', '/api', 'api'],
    ['a.example.com', '/anything', 'wildcard'],
    ['a.b.example.com', '/anything', 'fallback'],
    ['other.test', '/', 'fallback'],
    ['127.0.0.1', '/', 'fallback'],
  ])('%s %s goes to %s', async (host, path, upstream) => {
    const { status, echo } = await get(host, path);
    expect(status).toBe(200);
    expect(echo?.upstream).toBe(upstream);
  });

  test('the normalized path is forwarded, with the query as the client sent it', async () => {
    const { echo } = await get('shop.example.com', '//api/./v1/../orders/%7e%41?q=a%20b&x=%ZZ&y=1/../2');
    expect(echo?.upstream).toBe('api');
    expect(echo?.url).toBe('/api/orders/~A?q=a%20b&x=%ZZ&y=1/../2');
  });

  test('an absolute-form target routes by its authority, not the Host header', async () => {
    const echo = await rawGet('GET http://shop.example.com/api/x?y=1 HTTP/1.1\r\nHost: other.test\r\nConnection: close\r\n\r\n');
    expect(echo).toMatch(/"upstream":"api"/);
    expect(echo).toMatch(/"url":"\/api\/x\?y=1"/);
  });
});

describe('answers of its own', () => {
  test('a backend with no endpoints answers 503 with the code', async () => {
    const { status, headers, text } = await get('x.test', '/empty');
    expect(status).toBe(503);
    expect(headers[ERROR_HEADER]).toBe('SWY_PROXY_NO_ENDPOINT');
    expect(text).toContain('default/empty:80');
  });

  test('a path with invalid percent-encoding answers 400', async () => {
    const response = await rawGet('GET /a%zz HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1.1 400 /);
    expect(response.toLowerCase()).toContain(`${ERROR_HEADER}: swy_proxy_bad_request`);
  });

  test('an asterisk-form target answers 400', async () => {
    const response = await rawGet('OPTIONS * HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1.1 400 /);
  });

  test('an encoded slash next to a dot-segment answers 400 and reaches no upstream', async () => {
    const before = api.seen.length + shop.seen.length;
    const { status, headers } = await get('shop.example.com', '/api/a%2F..%2Fb');
    expect(status).toBe(400);
    expect(headers[ERROR_HEADER]).toBe('SWY_PROXY_BAD_REQUEST');
    expect(api.seen.length + shop.seen.length).toBe(before);
  });
});

test('no rule and no default backend answers 404', async () => {
  const upstream = await startUpstream('only');
  const only = await startTestGateway([ingress('only', [['only.test', '/', 'Prefix', 'only', 80]])], { 'default/only:80': at(upstream.port) });
  try {
    const response = await request(`${only.url}/`, { headers: { host: 'elsewhere.test' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers[ERROR_HEADER]).toBe('SWY_PROXY_NO_ROUTE');
    expect(await response.body.text()).toMatch(/^404 Not Found: /);
  } finally {
    await only.close();
    await upstream.close();
  }
});

function rawGet(text: string): Promise<string> {
  return rawExchange(gw.url, text);
}
