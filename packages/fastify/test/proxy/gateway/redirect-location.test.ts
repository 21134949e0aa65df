import type { RedirectAction } from '@switchyard/core';
import { describe, expect, test } from 'vitest';
import { redirectLocation, type RedirectedRequest } from '../../../src/proxy/gateway/redirect-location.js';

function action(fields: Partial<RedirectAction>): RedirectAction {
  return { scheme: undefined, hostname: undefined, path: undefined, port: undefined, statusCode: 302, ...fields };
}

function request(fields: Partial<RedirectedRequest>): RedirectedRequest {
  return { scheme: 'http', host: 'gw.example', listenerPort: 80, path: '/', query: '', matchedPrefix: '/', ...fields };
}

const http80 = { scheme: 'http', listenerPort: 80 } as const;
const http8080 = { scheme: 'http', listenerPort: 8080 } as const;
const https443 = { scheme: 'https', listenerPort: 443, host: 'example.org' } as const;

// httproute-redirect-port-and-scheme: the same rules behind three listeners.
describe('scheme and port (conformance: httproute-redirect-port-and-scheme)', () => {
  test.each<[string, Partial<RedirectAction>, Partial<RedirectedRequest>, string]>([
    ['http on 80: no scheme, no port', { hostname: 'example.org' }, http80, 'http://example.org/'],
    ['http on 80: port 80', { hostname: 'example.org', port: 80 }, http80, 'http://example.org/'],
    ['http on 80: https, no port', { hostname: 'example.org', scheme: 'https' }, http80, 'https://example.org/'],
    ['http on 80: https, port 443', { hostname: 'example.org', scheme: 'https', port: 443 }, http80, 'https://example.org/'],
    ['http on 80: https, port 8443', { hostname: 'example.org', scheme: 'https', port: 8443 }, http80, 'https://example.org:8443/'],
    ['http on 8080: no scheme, no port: the listener’s port', { hostname: 'example.org' }, http8080, 'http://example.org:8080/'],
    ['http on 8080: port 80', { hostname: 'example.org', port: 80 }, http8080, 'http://example.org/'],
    ['http on 8080: https, no port: 443', { hostname: 'example.org', scheme: 'https' }, http8080, 'https://example.org/'],
    ['https on 443: no scheme, no port', { hostname: 'example.org' }, https443, 'https://example.org/'],
    ['https on 443: port 443', { hostname: 'example.org', port: 443 }, https443, 'https://example.org/'],
    ['https on 443: port 8443', { hostname: 'example.org', port: 8443 }, https443, 'https://example.org:8443/'],
    ['https on 443: http, no port: 80', { hostname: 'example.org', scheme: 'http' }, https443, 'http://example.org/'],
    ['https on 443: http, port 80', { hostname: 'example.org', scheme: 'http', port: 80 }, https443, 'http://example.org/'],
    ['https on 443: http, port 8080', { hostname: 'example.org', scheme: 'http', port: 8080 }, https443, 'http://example.org:8080/'],
  ])('%s', (_name, fields, req, expected) => {
    expect(redirectLocation(action(fields), request(req))).toBe(expected);
  });
});

describe('port, scheme, host, path and status rules (conformance: httproute-redirect-*)', () => {
  test.each<[string, Partial<RedirectAction>, Partial<RedirectedRequest>, string]>([
    ['port alone', { port: 8083 }, { path: '/port', matchedPrefix: '/port' }, 'http://gw.example:8083/port'],
    ['port and host', { port: 8083, hostname: 'example.org' }, { path: '/port-and-host', matchedPrefix: '/port-and-host' }, 'http://example.org:8083/port-and-host'],
    ['port and status', { port: 8083, statusCode: 301 }, { path: '/port-and-status', matchedPrefix: '/port-and-status' }, 'http://gw.example:8083/port-and-status'],
    ['scheme alone', { scheme: 'https' }, { path: '/scheme', matchedPrefix: '/scheme' }, 'https://gw.example/scheme'],
    ['scheme and host', { scheme: 'https', hostname: 'example.org' }, { path: '/scheme-and-host', matchedPrefix: '/scheme-and-host' }, 'https://example.org/scheme-and-host'],
    ['scheme from a listener on another port: the well-known port', { scheme: 'https' }, { listenerPort: 8080, path: '/scheme', matchedPrefix: '/scheme' }, 'https://gw.example/scheme'],
    ['hostname alone', { hostname: 'example.org' }, { path: '/hostname-redirect', matchedPrefix: '/hostname-redirect' }, 'http://example.org/hostname-redirect'],
    ['hostname on a listener on another port: the listener’s port', { hostname: 'example.org' }, { listenerPort: 8080, path: '/h', matchedPrefix: '/h' }, 'http://example.org:8080/h'],
    ['ReplacePrefixMatch', { path: { type: 'ReplacePrefixMatch', value: '/replacement-prefix' } }, { path: '/original-prefix/lemon', matchedPrefix: '/original-prefix' }, 'http://gw.example/replacement-prefix/lemon'],
    ['ReplaceFullPath', { path: { type: 'ReplaceFullPath', value: '/full-path-replacement' } }, { path: '/full/path/original', matchedPrefix: '/full' }, 'http://gw.example/full-path-replacement'],
    ['path and host', { hostname: 'example.org', path: { type: 'ReplacePrefixMatch', value: '/replacement-prefix' } }, { path: '/path-and-host', matchedPrefix: '/path-and-host' }, 'http://example.org/replacement-prefix'],
    ['full path and host', { hostname: 'example.org', path: { type: 'ReplaceFullPath', value: '/replacement-full' } }, { path: '/full-path-and-host', matchedPrefix: '/full-path-and-host' }, 'http://example.org/replacement-full'],
    ['status alone (303): the request’s own URL', { statusCode: 303 }, { path: '/see-other', matchedPrefix: '/see-other' }, 'http://gw.example/see-other'],
    ['status alone on https and another port', { statusCode: 308 }, { scheme: 'https', listenerPort: 8443, path: '/p' }, 'https://gw.example:8443/p'],
  ])('%s', (_name, fields, req, expected) => {
    expect(redirectLocation(action(fields), request(req))).toBe(expected);
  });
});

describe('what the spec leaves to us', () => {
  test('the query is kept, after the modified path', () => {
    const req = request({ path: '/old/page', query: '?a=1&b=%20', matchedPrefix: '/old' });
    expect(redirectLocation(action({ path: { type: 'ReplacePrefixMatch', value: '/new' } }), req)).toBe('http://gw.example/new/page?a=1&b=%20');
    expect(redirectLocation(action({ scheme: 'https' }), req)).toBe('https://gw.example/old/page?a=1&b=%20');
  });

  test('an IPv6 host is written in brackets, whether or not it came with them', () => {
    expect(redirectLocation(action({ scheme: 'https' }), request({ host: '[::1]', path: '/x' }))).toBe('https://[::1]/x');
    expect(redirectLocation(action({ port: 8443 }), request({ host: '::1', path: '/x' }))).toBe('http://[::1]:8443/x');
    expect(redirectLocation(action({}), request({ host: '[2001:db8::1]', listenerPort: 8080, path: '/x' }))).toBe('http://[2001:db8::1]:8080/x');
  });

  test('an IPv4 host is written as it is', () => {
    expect(redirectLocation(action({}), request({ host: '127.0.0.1', listenerPort: 8080, path: '/x' }))).toBe('http://127.0.0.1:8080/x');
  });

  test('a request without a host and an action without hostname: a relative Location', () => {
    expect(redirectLocation(action({ path: { type: 'ReplaceFullPath', value: '/new' } }), request({ host: '', query: '?q' }))).toBe('/new?q');
    expect(redirectLocation(action({ hostname: 'example.org' }), request({ host: '', path: '/p' }))).toBe('http://example.org/p');
  });
});
