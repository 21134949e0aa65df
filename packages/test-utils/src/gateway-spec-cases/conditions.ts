import { backendServices } from './backend-services.js';
import type { GatewaySpecCase } from './spec-case.js';

/** httproute_types.go: HTTPHeaderMatch, HTTPRouteMatch (fields ANDed), HTTPRouteRule.Matches (ORed). */
export const headerMatching: GatewaySpecCase = {
  name: 'header matching',
  description:
    'Header names compare case-insensitively, values case-sensitively; the headers of one match are ANDed, the matches of a rule ORed; a RegularExpression must match the whole value; more header matches win, then rule order.',
  manifests: `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: headers
  namespace: shop
spec:
  gatewayClassName: switchyard
  listeners:
  - name: http
    port: 80
    protocol: HTTP
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: headers
  namespace: shop
spec:
  parentRefs:
  - name: headers
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /h
      headers:
      - name: Env
        value: canary
      - name: x-tier
        value: gold
    backendRefs:
    - name: both-svc
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /h
      headers:
      - name: ENV
        value: canary
    - path:
        type: PathPrefix
        value: /h
      headers:
      - name: x-tier
        value: silver
    backendRefs:
    - name: either-svc
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /h
      headers:
      - name: x-version
        type: RegularExpression
        value: "v[0-9]+"
    backendRefs:
    - name: regex-svc
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /h
    backendRefs:
    - name: plain-svc
      port: 8080
${backendServices('shop', 'both-svc', 'either-svc', 'regex-svc', 'plain-svc')}`,
  requests: [
    { port: 80, host: 'h.test', path: '/h', headers: { env: 'canary', 'X-Tier': 'gold' }, expect: { route: 'shop/headers', rule: 0, backend: 'both-svc' }, why: 'two header matches beat one' },
    { port: 80, host: 'h.test', path: '/h', headers: { ENV: 'canary' }, expect: { route: 'shop/headers', rule: 1, backend: 'either-svc' }, why: 'header names are case-insensitive' },
    { port: 80, host: 'h.test', path: '/h', headers: { 'x-tier': 'silver' }, expect: { route: 'shop/headers', rule: 1, backend: 'either-svc' }, why: 'the second match of the rule (matches are ORed)' },
    { port: 80, host: 'h.test', path: '/h', headers: { 'x-tier': 'gold' }, expect: { route: 'shop/headers', rule: 3, backend: 'plain-svc' }, why: 'rule 0 needs both headers (ANDed)' },
    { port: 80, host: 'h.test', path: '/h', headers: { env: 'Canary' }, expect: { route: 'shop/headers', rule: 3, backend: 'plain-svc' }, why: 'header values are case-sensitive' },
    { port: 80, host: 'h.test', path: '/h', headers: { 'x-version': 'v12' }, expect: { route: 'shop/headers', rule: 2, backend: 'regex-svc' } },
    { port: 80, host: 'h.test', path: '/h', headers: { 'x-version': 'v12-beta' }, expect: { route: 'shop/headers', rule: 3, backend: 'plain-svc' }, why: 'a regular expression matches the whole value' },
    { port: 80, host: 'h.test', path: '/h', headers: { 'x-version': 'av1' }, expect: { route: 'shop/headers', rule: 3, backend: 'plain-svc' } },
    { port: 80, host: 'h.test', path: '/h', headers: { env: 'canary', 'x-version': 'v2' }, expect: { route: 'shop/headers', rule: 1, backend: 'either-svc' }, why: 'one header match each: the first rule wins' },
    { port: 80, host: 'h.test', path: '/other', headers: { env: 'canary', 'x-tier': 'gold' }, expect: { status: 404 }, why: 'the path is ANDed with the headers' },
  ],
};

/** httproute_types.go: HTTPQueryParamMatch. */
export const queryParamMatching: GatewaySpecCase = {
  name: 'query parameter matching',
  description:
    'Query parameter names and values compare case-sensitively; parameters of one match are ANDed; a repeated parameter matches by its first value (the spec recommends it and leaves repeats undefined); more query matches win.',
  manifests: `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: query
  namespace: shop
spec:
  gatewayClassName: switchyard
  listeners:
  - name: http
    port: 80
    protocol: HTTP
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: query
  namespace: shop
spec:
  parentRefs:
  - name: query
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /q
      queryParams:
      - name: tab
        value: all
      - name: page
        value: "2"
    backendRefs:
    - name: two-params-svc
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /q
      queryParams:
      - name: tab
        value: all
    backendRefs:
    - name: tab-svc
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /q
      queryParams:
      - name: id
        type: RegularExpression
        value: "[0-9]+"
    backendRefs:
    - name: id-svc
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /q
    backendRefs:
    - name: no-params-svc
      port: 8080
${backendServices('shop', 'two-params-svc', 'tab-svc', 'id-svc', 'no-params-svc')}`,
  requests: [
    { port: 80, host: 'q.test', path: '/q', query: 'tab=all&page=2', expect: { route: 'shop/query', rule: 0, backend: 'two-params-svc' } },
    { port: 80, host: 'q.test', path: '/q', query: 'page=2&tab=all', expect: { route: 'shop/query', rule: 0, backend: 'two-params-svc' }, why: 'order of parameters does not matter' },
    { port: 80, host: 'q.test', path: '/q', query: 'tab=all', expect: { route: 'shop/query', rule: 1, backend: 'tab-svc' } },
    { port: 80, host: 'q.test', path: '/q', query: 'TAB=all', expect: { route: 'shop/query', rule: 3, backend: 'no-params-svc' }, why: 'names are case-sensitive' },
    { port: 80, host: 'q.test', path: '/q', query: 'tab=ALL', expect: { route: 'shop/query', rule: 3, backend: 'no-params-svc' }, why: 'values are case-sensitive' },
    { port: 80, host: 'q.test', path: '/q', query: 'tab=all&tab=none', expect: { route: 'shop/query', rule: 1, backend: 'tab-svc' }, why: 'a repeated parameter matches by its first value' },
    { port: 80, host: 'q.test', path: '/q', query: 'tab=none&tab=all', expect: { route: 'shop/query', rule: 3, backend: 'no-params-svc' }, why: 'a repeated parameter matches by its first value' },
    { port: 80, host: 'q.test', path: '/q', query: 'id=42', expect: { route: 'shop/query', rule: 2, backend: 'id-svc' } },
    { port: 80, host: 'q.test', path: '/q', query: 'id=42x', expect: { route: 'shop/query', rule: 3, backend: 'no-params-svc' }, why: 'a regular expression matches the whole value' },
    { port: 80, host: 'q.test', path: '/q', expect: { route: 'shop/query', rule: 3, backend: 'no-params-svc' } },
  ],
};

/** httproute_types.go: HTTPRouteMatch.Method. */
export const methodMatching: GatewaySpecCase = {
  name: 'method matching',
  description: 'A match with a method matches only that method; a rule whose matches name GET and HEAD takes both.',
  manifests: `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: methods
  namespace: shop
spec:
  gatewayClassName: switchyard
  listeners:
  - name: http
    port: 80
    protocol: HTTP
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: methods
  namespace: shop
spec:
  parentRefs:
  - name: methods
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /m
      method: POST
    backendRefs:
    - name: post-svc
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /m
      method: GET
    - path:
        type: PathPrefix
        value: /m
      method: HEAD
    backendRefs:
    - name: read-svc
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /m
    backendRefs:
    - name: any-method-svc
      port: 8080
${backendServices('shop', 'post-svc', 'read-svc', 'any-method-svc')}`,
  requests: [
    { port: 80, host: 'm.test', path: '/m', method: 'POST', expect: { route: 'shop/methods', rule: 0, backend: 'post-svc' } },
    { port: 80, host: 'm.test', path: '/m', method: 'GET', expect: { route: 'shop/methods', rule: 1, backend: 'read-svc' } },
    { port: 80, host: 'm.test', path: '/m/x', method: 'HEAD', expect: { route: 'shop/methods', rule: 1, backend: 'read-svc' } },
    { port: 80, host: 'm.test', path: '/m', method: 'DELETE', expect: { route: 'shop/methods', rule: 2, backend: 'any-method-svc' } },
  ],
};
