import { defineErrorCodes } from './error-registry.js';

/**
 * Every error code Switchyard's core throws or reports, in one registry: how each reaches you,
 * its cause and its fix. `docs/errors.md` is generated from it (`pnpm errors:doc`); a test
 * fails when the two differ.
 */
export const ERROR_CODES = defineErrorCodes({
  // Thrown: bad request input (the adapter answers with `statusCode`).
  SWY_REQUEST_BAD_PATH: {
    summary: 'The request path is not an absolute path or holds an invalid percent-encoding.',
    reaches: { as: 'thrown', statusCode: 400, field: "`field: 'path'`" },
    cause: 'the request path does not start with `/` (an absolute-form or `*` target), or holds an invalid percent-encoding such as `%zz` or a lone `%`.',
    fix: 'nothing to fix in the router; the client sent a malformed request target. Adapters answer 400. In your own code, pass the path of the request target (`/a/b?q`), not a full URL.',
  },
  SWY_REQUEST_BAD_HOST: {
    summary: 'The Host holds characters no host name, IP literal or port may hold.',
    reaches: { as: 'thrown', statusCode: 400, field: "`field: 'host'`" },
    cause: 'the Host (or `:authority`) holds characters no host name, IP literal or port may hold: spaces, `/`, `@`, non-ASCII, a non-numeric port, an unclosed `[`.',
    fix: 'nothing to fix in the router; the client sent a malformed Host. Adapters answer 400.',
  },
  // Thrown: API misuse.
  SWY_COMPILE_INVALID_OPTIONS: {
    summary: 'compile() was called with options of the wrong shape.',
    reaches: { as: 'thrown', via: 'by `compile()` (`compileInSlices()`: as a rejection)', field: '`field` names the option' },
    cause: '`compile()` or `compileInSlices()` was called with options of the wrong shape: `ingresses` not an array, `ingressClass` empty or not a string, `ingressClasses` not an array, `version` not an integer, `pathMatcher` not a function, `sliceMs` negative or not a number, `betweenSlices` not a function.',
    fix: 'pass `{ ingresses: Ingress[] }` and only the documented options.',
  },
  SWY_MANIFEST_INVALID_OPTIONS: {
    summary: 'loadManifests() was called with input of the wrong shape.',
    reaches: { as: 'thrown', via: 'by `loadManifests()`' },
    cause: '`loadManifests()` was given something other than a string (a Buffer, an object).',
    fix: "pass the file's text: `loadManifests(await readFile(path, 'utf8'), { file: path })`.",
  },
  SWY_ROUTER_INVALID_OPTIONS: {
    summary: 'new Router() was given options of the wrong shape.',
    reaches: { as: 'thrown', field: "`field: 'table'` or `'discovery'`" },
    cause: '`new Router(options)` or `router.update(table)` got a table that is not a `RouteTable` from `compile()`, or a discovery without `watch`.',
    fix: 'pass `compile(...).table` and an object implementing `Discovery` (`watch`, `ready`, `close`).',
  },
  SWY_DISCOVERY_CLOSED: {
    summary: 'A discovery or router was used after close().',
    reaches: { as: 'thrown' },
    cause: '`watch` or `update` was called on a `StaticDiscovery`, or `update` on a `Router`, after its `close()`.',
    fix: 'make a new one; a closed discovery or router stays closed.',
  },
  SWY_DISCOVERY_INVALID_OPTIONS: {
    summary: 'A discovery was given an ExternalName allow list of the wrong shape (the pattern is named).',
    reaches: { as: 'thrown', via: 'by `new StaticDiscovery()`, `update()` and `createExternalNameAllowList()`', field: "`field: 'allowExternalNames[i]'`" },
    cause: '`allowExternalNames` is not an array of strings, or one of them is neither a DNS name (`api.example.com`), `*.` followed by one (`*.example.com`), nor `*`.',
    fix: 'write exact names, `*.domain` wildcards or `*` (CLI: `--allow-external-name PATTERN`, repeatable).',
  },
  SWY_ADDRESS_POLICY_INVALID: {
    summary: 'An AddressPolicy deny entry is not an IP address or CIDR range (the entry is named).',
    reaches: { as: 'thrown', via: 'by `new AddressPolicy()`', field: "`field: 'deny[i]'`" },
    cause: '`deny` is not an array, or an entry is neither an IP address nor `address/prefix` with a prefix length the family allows (0-32, 0-128).',
    fix: 'write ranges as `10.0.0.0/8`, `fd00::/8`, or single addresses (`127.0.0.2`).',
  },
  SWY_BALANCER_INVALID_POLICY: {
    summary: 'A balancer policy is not an object of a known kind, or a field of it is unknown, missing or out of range.',
    reaches: {
      as: 'thrown',
      via: 'by `parseBalancerPolicy(value, field)` and `createBackendBalancer()`',
      field: '`field` names the offending field under the one given (`….kind`, `….choices`, `….on`, `….on.header`, `….on.cookie`, `….on.clientAddress`, or an unknown field such as `….choice`)',
    },
    cause: 'the policy is not an object; `kind` is not `round-robin`, `least-request` or `consistent-hash`; it has a field its kind does not take; least-request\'s `choices` is not an integer from 2 to 16; consistent-hash\'s `on` does not set exactly one of `header` (an HTTP header name), `cookie` (a cookie name) or `clientAddress: true`.',
    fix: 'write one of `{ kind: round-robin }`, `{ kind: least-request, choices: 2 }`, `{ kind: consistent-hash, on: { header: x-user-id } }` (or `{ cookie: session }`, `{ clientAddress: true }`).',
  },
  SWY_BALANCER_INVALID_OPTIONS: {
    summary: 'createBackendBalancer() was given options of the wrong shape (outlier detection, clock, random source).',
    reaches: { as: 'thrown', via: 'by `createBackendBalancer()`', field: '`field` names the option (`outlierDetection.baseEjectionMs`, `now`, `random`)' },
    cause: '`outlierDetection` is neither an object nor `false`, or holds an unknown field; `consecutiveFailures` is not a positive integer; `baseEjectionMs` is not a positive number; `maxEjectionMs` is smaller than `baseEjectionMs`; `maxEjectedPercent` is outside 0-100; `now` or `random` is not a function.',
    fix: 'pass numbers in milliseconds and percent, e.g. `{ outlierDetection: { consecutiveFailures: 5, baseEjectionMs: 30000, maxEjectionMs: 300000, maxEjectedPercent: 50 } }`, or `outlierDetection: false` to turn it off.',
  },
  // Endpoint set problems: the set is empty (or stale) and says why.
  SWY_DISCOVERY_SERVICE_NOT_FOUND: {
    summary: 'The Service a backend names does not exist.',
    reaches: { as: 'problem', note: 'the set is empty (requests get 503 later); `switchyard check` (`serviceBackendDiagnostics`) reports it as a warning on the backend field when the files hold Services' },
    cause: "the Service a backend names (`backend.service.name` in the Ingress's namespace) is not among the discovered objects, or was deleted.",
    fix: "create the Service in the Ingress's namespace, or correct the backend's name.",
  },
  SWY_DISCOVERY_PORT_NOT_FOUND: {
    summary: 'The Service has no port with the number or name the backend names.',
    reaches: { as: 'problem', note: 'the set is empty; `switchyard check` (`serviceBackendDiagnostics`) reports it as a warning on the backend field when the files hold Services' },
    cause: 'the Service exists but none of its `spec.ports` has the number (`port.number` compares with the Service `port`, not `targetPort`) or the name the backend names.',
    fix: 'name a port the Service exposes, by its `port` number or its `name`.',
  },
  SWY_DISCOVERY_EXTERNAL_NAME_UNSUPPORTED: {
    summary: 'An ExternalName Service was met by a discovery with no DNS resolver.',
    reaches: { as: 'problem', note: 'the set is empty' },
    cause: "the backend's Service is of type ExternalName, and the discovery was made without an `externalNames` resolver to look its hostname up.",
    fix: 'give `StaticDiscovery` an `externalNames` resolver (`@switchyard/dns`), or use a Service with endpoints.',
  },
  SWY_DISCOVERY_EXTERNAL_NAME_DENIED: {
    summary: 'An ExternalName Service names a host that is not allowed: it is not resolved (ExternalName is opt-in).',
    reaches: {
      as: 'problem',
      note: "the set is empty, and the proxy answers 503 `SWY_PROXY_EXTERNAL_NAME_DENIED`; `switchyard check` (`serviceBackendDiagnostics`) reports it as a warning on the Service, `field: 'spec.externalName'`, and `switchyard explain` shows it as the winner's set problem",
    },
    cause: "the backend's Service is of type ExternalName and its `spec.externalName` matches none of the allowed patterns (none by default). An ExternalName lets whoever writes a Service make the gateway resolve and connect to any host (internal hosts, cloud metadata), so it is turned off unless the operator allows the names.",
    fix: 'allow the name: `switchyard serve --allow-external-name api.example.com` (repeatable; `*.example.com` for every name under a domain, `*` for all), or `allowExternalNames` of `StaticDiscovery` / `KubernetesDiscovery` in code. Or point the route at a Service with endpoints.',
  },
  SWY_DISCOVERY_ADDRESS_DENIED: {
    summary: "An allowed ExternalName resolved to addresses the address policy denies (link-local: cloud metadata); they are left out of the set.",
    reaches: { as: 'problem', note: 'the set keeps the other addresses (empty when all were denied: the proxy answers 503 `SWY_PROXY_NO_ENDPOINT`); the message names the Service, the name and each address with its range' },
    cause: "the name's DNS answer holds an address in `169.254.0.0/16` or `fe80::/10` (cloud metadata services live there), or in a range the `AddressPolicy` given to the discovery adds. Whatever the allow list says, the gateway never connects to those.",
    fix: 'fix the DNS records of the name, or stop routing to it; the link-local ranges cannot be allowed.',
  },
  SWY_DISCOVERY_APP_PROTOCOL_UNSUPPORTED: {
    summary: 'A Service port (or EndpointSlice port) names an appProtocol Switchyard does not speak; its endpoints are sent HTTP/1.1.',
    reaches: {
      as: 'problem',
      note: 'the set keeps its endpoints, spoken to as HTTP/1.1; the message names the object and `spec.ports[i].appProtocol`; `switchyard check` (`serviceBackendDiagnostics`) reports it as a warning on the Service when the files hold it',
    },
    cause: "the port's `appProtocol` is none of `kubernetes.io/h2c` (cleartext HTTP/2), `http`, `kubernetes.io/ws`, `kubernetes.io/wss` or unset (HTTP/1.1): for example `https`, `grpc` or `kubernetes.io/h2` (TLS upstreams are not supported).",
    fix: 'use `appProtocol: kubernetes.io/h2c` for a cleartext HTTP/2 or gRPC server, `http` (or nothing) for HTTP/1.1.',
  },
  SWY_DISCOVERY_RESOURCE_BACKEND: {
    summary: 'A resource backend has no endpoints to discover.',
    reaches: { as: 'problem', note: 'the set is empty' },
    cause: "the route's backend is a `resource` (an object of another API group), which has no endpoints for Switchyard to discover.",
    fix: 'point the rule at a `service` backend, or serve that resource in code.',
  },
  // Diagnostics: manifests.
  SWY_MANIFEST_FILE_UNREADABLE: {
    summary: 'A manifest file or directory could not be read.',
    reaches: { as: 'diagnostic', severity: 'error', note: '`object` and `source.file` name the path; the other files still load' },
    cause: '`loadManifestFiles`/`watchManifestFiles` could not read a file or directory given to it: it does not exist (a file deleted, or renamed away by an editor and not yet back), or permissions.',
    fix: 'check the path; a watch loads it again as soon as it is back.',
  },
  SWY_MANIFEST_PARSER_FAILED: {
    summary: 'The worker thread that parses manifest files failed.',
    reaches: { as: 'diagnostic', severity: 'error', note: "from `ManifestFiles.load()` and a watch's loads; `object` and `source.file` name the file; a gateway serving the files keeps its last good state" },
    cause: 'the worker thread that parses changed manifest files, so that the serving thread does not, stopped: it could not be started (its module, `dist/files/manifest-parse-worker.js`, is missing from the installed package), it ran out of memory on a very large file, or it was terminated.',
    fix: 'the next load starts a new worker and parses the file again. Reinstall the package if the module is missing; split a file of hundreds of megabytes.',
  },
  SWY_MANIFEST_YAML_INVALID: {
    summary: 'A YAML document does not parse.',
    reaches: { as: 'diagnostic', severity: 'error', note: 'one per document: the message gives the line and column of its first error and a hint, `source` the document and line' },
    cause: 'a YAML document does not parse (bad indentation, a tab used as indentation, a duplicate key, an unclosed quote or bracket). That document is skipped; the others load.',
    fix: 'correct the YAML at the reported line; `kubectl apply --dry-run=client -f` shows the same problem.',
  },
  SWY_MANIFEST_OBJECT_INVALID: {
    summary: 'A document is not a Kubernetes object (no apiVersion/kind, or not a mapping).',
    reaches: { as: 'diagnostic', severity: 'error' },
    cause: 'a document parses but is not a Kubernetes object: a scalar or a list, a mapping without `apiVersion` or `kind`, or a `List` without `items`.',
    fix: 'give every document `apiVersion`, `kind` and `metadata`, or remove it.',
  },
  SWY_MANIFEST_KIND_IGNORED: {
    summary: 'A manifest file holds no object Switchyard reads (a kustomization.yaml, a Deployment) and is skipped.',
    reaches: { as: 'diagnostic', severity: 'info', note: 'one per file; `object` and `source.file` name it; it does not stop `serve` applying the other files' },
    cause: 'every document of the file is of a kind no Switchyard package reads (only `networking.k8s.io/v1` Ingress and IngressClass, `v1` Service and Secret, `discovery.k8s.io/v1` EndpointSlice are), or is a `kustomization.yaml` without `apiVersion`/`kind`.',
    fix: 'nothing, when the file is meant for another tool; to route from it, render it first (`kubectl kustomize dir/ > routes.yaml`).',
  },
  SWY_MANIFEST_VERSION_UNSUPPORTED: {
    summary: 'An Ingress or IngressClass is of an API version other than networking.k8s.io/v1 and is not read.',
    reaches: { as: 'diagnostic', severity: 'warning', field: "`field: 'apiVersion'`" },
    cause: 'an Ingress or IngressClass of an API version other than `networking.k8s.io/v1` (`extensions/v1beta1`, `networking.k8s.io/v1beta1`). It is not read.',
    fix: 'migrate it to `networking.k8s.io/v1` (`backend.serviceName`/`servicePort` become `backend.service.name`/`port.number`, and every path needs a `pathType`).',
  },
  // Diagnostics: Ingress validation, as the API server does it.
  SWY_INGRESS_METADATA_INVALID: {
    summary: 'metadata.name or metadata.namespace is missing or not a valid name.',
    reaches: { as: 'diagnostic', severity: 'error', note: 'the Ingress is left out' },
    cause: '`metadata` or `metadata.name` is missing, the name is not a DNS-1123 subdomain, the namespace is not a DNS-1123 label, `creationTimestamp` is not an RFC 3339 time, or `annotations` is not a map of strings.',
    fix: 'give the Ingress a lowercase name (`web-api`), and quote annotation values (`"true"`, not `true`).',
  },
  SWY_INGRESS_SPEC_EMPTY: {
    summary: 'The Ingress has neither rules nor a default backend.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'spec'`", note: 'the Ingress is left out' },
    cause: 'the Ingress has neither `spec.rules` nor `spec.defaultBackend`, so it routes nothing.',
    fix: 'add at least one rule or a default backend, or delete the Ingress.',
  },
  SWY_INGRESS_FIELD_INVALID: {
    summary: 'A field has the wrong type (a list that is not a list, a string that is not a string).',
    reaches: { as: 'diagnostic', severity: 'error', note: 'the Ingress is left out' },
    cause: 'a field has the wrong type for the API: a list that is not a list (`rules`, `paths`, `tls`), a string that is not a string (`path: 42`, `host: 42`), an object that is not an object. Usually a YAML indentation slip.',
    fix: 'compare the field with the `networking.k8s.io/v1` Ingress schema (`kubectl explain ingress.spec.rules`).',
  },
  SWY_INGRESS_HOST_INVALID: {
    summary: 'A host is not a lowercase RFC 1123 name or "*." followed by one, or is an IP address.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'spec.rules[i].host'`", note: 'the Ingress is left out' },
    cause: 'a rule host is not a lowercase RFC 1123 name nor `*.` followed by one: it has uppercase letters, a port, a trailing dot, a `*` elsewhere than as the whole first label, or it is an IP address.',
    fix: 'write the host in lowercase without a port (`api.example.com`, `*.example.com`); to route requests addressed by IP, use a rule without a host.',
  },
  SWY_INGRESS_PATHS_EMPTY: {
    summary: 'A rule has an http section with no paths.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'spec.rules[i].http.paths'`", note: 'the Ingress is left out' },
    cause: 'a rule has an `http` section with no paths.',
    fix: 'add a path (`path: /`, `pathType: Prefix` for everything), or remove `http`.',
  },
  SWY_INGRESS_PATH_TYPE_INVALID: {
    summary: 'pathType is missing or not one of Exact, Prefix, ImplementationSpecific.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: '….pathType'`", note: 'the Ingress is left out' },
    cause: '`pathType` is missing or not one of `Exact`, `Prefix`, `ImplementationSpecific` (spelling and case count).',
    fix: 'set `pathType: Prefix` (or `Exact`). Switchyard treats `ImplementationSpecific` as `Prefix`.',
  },
  SWY_INGRESS_PATH_INVALID: {
    summary: 'A path is not absolute, or holds a sequence the API server refuses in Exact and Prefix paths.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: '….path'`", note: 'the Ingress is left out' },
    cause: 'a path does not start with `/`, or an `Exact`/`Prefix` path holds a sequence the API server refuses: `//`, `/./`, `/../`, `%2f`, `%2F`, or ends with `/.` or `/..`.',
    fix: 'write the path in its plain form (`/a/b`, not `/a//b` or `/a/./b`).',
  },
  SWY_INGRESS_BACKEND_INVALID: {
    summary: 'A backend sets both or neither of service and resource.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: '….backend'`", note: 'the Ingress is left out' },
    cause: 'a backend sets both `service` and `resource`, or neither, or is missing.',
    fix: 'set exactly one: `backend: { service: { name, port: { number } } }` in most cases.',
  },
  SWY_INGRESS_SERVICE_NAME_INVALID: {
    summary: 'A backend service name is missing or not a DNS-1035 label.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: '….backend.service.name'`", note: 'the Ingress is left out' },
    cause: 'the Service name is missing or not a DNS-1035 label: it starts with a digit, has uppercase letters or dots, ends with `-`, or is longer than 63 characters.',
    fix: "use the Service's `metadata.name` exactly (`kubectl get svc`).",
  },
  SWY_INGRESS_SERVICE_PORT_INVALID: {
    summary: 'A backend service port sets both or neither of number and name, or one out of range.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: '….backend.service.port'` (or `.number`, `.name`)", note: 'the Ingress is left out' },
    cause: 'the port sets both `number` and `name`, or neither (a `number` of 0 counts as unset); the number is outside 1-65535; or the name is not an IANA service name (more than 15 characters, no letter, uppercase, `--`, a leading or trailing `-`).',
    fix: 'set one of `port.number: 80` or `port.name: http`, matching a port of the Service.',
  },
  SWY_INGRESS_RESOURCE_INVALID: {
    summary: 'A resource backend lacks kind or name, or has an invalid apiGroup.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: '….backend.resource.*'`", note: 'the Ingress is left out' },
    cause: 'a resource backend lacks `kind` or `name`, either holds `/` or `%` or is `.`/`..`, or `apiGroup` is not a DNS-1123 subdomain.',
    fix: 'name an object of your API group: `{ apiGroup: k8s.example.com, kind: StorageBucket, name: assets }`.',
  },
  SWY_INGRESS_TLS_INVALID: {
    summary: 'A spec.tls entry has an invalid host or secretName.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'spec.tls[i].hosts[j]'` or `spec.tls[i].secretName`", note: 'the Ingress is left out' },
    cause: 'a `spec.tls` host is not a lowercase RFC 1123 name or `*.` followed by one, or `secretName` is not a valid Secret name.',
    fix: 'list the hosts as in the rules (lowercase, no port) and name an existing Secret.',
  },
  SWY_INGRESS_CLASS_INVALID: {
    summary: 'spec.ingressClassName is not a valid name, or it and the legacy annotation disagree.',
    reaches: { as: 'diagnostic', severity: 'error', note: 'the Ingress is left out' },
    cause: "`spec.ingressClassName` is not a valid name (`field: 'spec.ingressClassName'`), or it and the legacy `kubernetes.io/ingress.class` annotation name different classes (`field: 'metadata.annotations[kubernetes.io/ingress.class]'`), which the API server refuses.",
    fix: 'keep `spec.ingressClassName` and drop the annotation, or make both name the same class.',
  },
  // Diagnostics: Gateway API validation, as the API server does it (the CRDs' schemas and CEL rules).
  SWY_GATEWAY_API_VERSION_UNSUPPORTED: {
    summary: 'A Gateway API object has an apiVersion the API server does not serve for its kind, or the wrong kind.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'apiVersion'` or `'kind'`", note: 'the object is left out' },
    cause: "a GatewayClass, Gateway, HTTPRoute or ReferenceGrant has an `apiVersion` other than `gateway.networking.k8s.io/v1` or `gateway.networking.k8s.io/v1beta1` (`v1alpha2`, a typo), a Namespace one other than `v1`, or an object was handed to the validator of another kind.",
    fix: 'write `apiVersion: gateway.networking.k8s.io/v1` (v1beta1 objects have the same schema and may simply be renamed).',
  },
  SWY_GATEWAY_API_METADATA_INVALID: {
    summary: 'A Gateway API object or Namespace has a missing or invalid name, namespace, label or annotation.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'metadata.name'` (or `.namespace`, `.labels[key]`, `.annotations[key]`, `.creationTimestamp`)", note: 'the object is left out' },
    cause: '`metadata` or `metadata.name` is missing; the name is not a lowercase RFC 1123 subdomain (a Namespace: an RFC 1123 label); the namespace is not an RFC 1123 label; a label key or value, or an annotation key, is not a valid qualified name or label value; a label or annotation value is not a string; `creationTimestamp` is not an RFC 3339 time.',
    fix: 'use lowercase names (`web-gateway`), and quote label and annotation values that YAML would read as numbers or booleans (`"1"`, `"true"`).',
  },
  SWY_GATEWAYCLASS_FIELD_INVALID: {
    summary: 'A GatewayClass field is missing, of the wrong type or format.',
    reaches: { as: 'diagnostic', severity: 'error', note: 'the GatewayClass is left out' },
    cause: '`spec` or `spec.controllerName` is missing, the controller name is not a domain-prefixed path (`example.com/gateway-controller`), `description` is over 64 characters, or `parametersRef` lacks `group`, `kind` or `name`.',
    fix: "set `spec.controllerName` to this router's controller name, exactly as it is configured.",
  },
  SWY_GATEWAY_FIELD_INVALID: {
    summary: 'A Gateway field is missing, of the wrong type or format.',
    reaches: { as: 'diagnostic', severity: 'error', note: 'the Gateway is left out' },
    cause: "`spec`, `spec.gatewayClassName` or `spec.listeners` is missing; there are no listeners or more than 64; a listener's `name` is missing or not a lowercase RFC 1123 subdomain; `allowedRoutes.namespaces.from` is not `All`, `Same` or `Selector`; `allowedRoutes.kinds` holds more than 8 entries or a kind without `kind`; a selector, `infrastructure` or `spec.tls` field has the wrong type or format. Usually a YAML indentation slip.",
    fix: 'compare the field with the Gateway schema (`kubectl explain gateway.spec.listeners`).',
  },
  SWY_GATEWAY_LISTENER_PORT_INVALID: {
    summary: 'A listener port is missing or not an integer from 1 to 65535.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'spec.listeners[i].port'`", note: 'the Gateway is left out' },
    cause: 'a listener has no `port`, or one that is not an integer from 1 to 65535 (a quoted `"80"` is a string).',
    fix: 'write the port as a number: `port: 80`.',
  },
  SWY_GATEWAY_LISTENER_PROTOCOL_INVALID: {
    summary: 'A listener protocol is missing or not a protocol name.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'spec.listeners[i].protocol'`", note: 'the Gateway is left out' },
    cause: 'a listener has no `protocol`, or one that is neither a plain name (`HTTP`, `HTTPS`, `TLS`, `TCP`, `UDP`) nor a domain-prefixed one (`example.com/proto`).',
    fix: 'set `protocol: HTTP` or `protocol: HTTPS` (names are case-sensitive).',
  },
  SWY_GATEWAY_LISTENER_HOSTNAME_INVALID: {
    summary: 'A listener hostname is not a lowercase DNS name (with "*." only as its first label), or is set on a TCP or UDP listener.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'spec.listeners[i].hostname'`", note: 'the Gateway is left out' },
    cause: 'a listener `hostname` has uppercase letters, a port, a trailing dot or a `*` anywhere but as a whole first label (`*.example.com`), is empty or over 253 characters; or the listener is TCP or UDP, which match no hostname.',
    fix: 'write the hostname in lowercase without a port (`api.example.com`, `*.example.com`), or leave it out to accept every hostname.',
  },
  SWY_GATEWAY_LISTENER_CONFLICT: {
    summary: 'Two listeners of a Gateway have the same name, or the same port, protocol and hostname.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'spec.listeners[i].name'` or `'spec.listeners[i]'` (the later one)", note: 'the Gateway is left out' },
    cause: 'two listeners of one Gateway share a `name`, or share `port`, `protocol` and `hostname` (two without a hostname count as the same).',
    fix: 'give each listener its own name, and tell listeners on one port apart by hostname.',
  },
  SWY_GATEWAY_LISTENER_TLS_INVALID: {
    summary: "A listener's tls does not fit its protocol, or its fields are invalid.",
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'spec.listeners[i].tls'` (or `.mode`, `.certificateRefs[j]…`, `.options`)", note: 'the Gateway is left out' },
    cause: '`tls` is set on an HTTP, TCP or UDP listener; an HTTPS listener asks for `mode: Passthrough`; a TLS listener has no `tls`; a `Terminate` listener (the default mode) names neither `certificateRefs` nor `options`; `mode` is not `Terminate` or `Passthrough`; a certificateRef lacks a name or has an invalid group, kind or namespace; there are more than 64 certificateRefs or 16 options.',
    fix: 'for HTTPS, give `tls: { certificateRefs: [{ name: my-cert }] }`; for plain HTTP, remove `tls`.',
  },
  SWY_GATEWAY_ADDRESS_INVALID: {
    summary: 'A Gateway address has an invalid type or value, or repeats another.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'spec.addresses[i]…'`", note: 'the Gateway is left out' },
    cause: 'an address `type` is not `IPAddress`, `Hostname`, `NamedAddress` or a domain-prefixed type; an `IPAddress` value is not an IP address; a `Hostname` value is not a lowercase DNS name; two addresses of type IPAddress or Hostname have the same value; there are more than 16.',
    fix: 'write `{ type: IPAddress, value: 192.0.2.10 }` or `{ type: Hostname, value: lb.example.com }`, each once.',
  },
  SWY_HTTPROUTE_FIELD_INVALID: {
    summary: 'An HTTPRoute field is missing, of the wrong type or format.',
    reaches: { as: 'diagnostic', severity: 'error', note: 'the HTTPRoute is left out' },
    cause: '`spec` is missing; `spec.rules` is empty or holds more than 16 rules; a rule `name` is not a lowercase RFC 1123 subdomain; `matches`, `filters`, `backendRefs` or `hostnames` is not a list or over its limit (64 matches, 16 of the others). Usually a YAML indentation slip.',
    fix: 'compare the field with the HTTPRoute schema (`kubectl explain httproute.spec.rules`).',
  },
  SWY_HTTPROUTE_PARENT_REF_INVALID: {
    summary: 'A parentRef is invalid, or two parentRefs to one parent are not told apart by sectionName.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'spec.parentRefs[i]…'`", note: 'the HTTPRoute is left out' },
    cause: 'a parentRef has no `name`, an invalid `group`, `kind`, `namespace` or `sectionName`, or a port outside 1-65535; there are more than 32; or two parentRefs name the same parent (group, kind, namespace, name) and one has a `sectionName` while the other has none, or both have the same.',
    fix: 'attach to each listener of a Gateway once: `parentRefs: [{ name: gw, sectionName: http }, { name: gw, sectionName: https }]`.',
  },
  SWY_HTTPROUTE_HOSTNAME_INVALID: {
    summary: 'An HTTPRoute hostname is not a lowercase DNS name with "*." only as its first label.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'spec.hostnames[i]'`", note: 'the HTTPRoute is left out' },
    cause: 'a hostname has uppercase letters, a port, a trailing dot, a `*` anywhere but as a whole first label (`*.example.com`), is empty or over 253 characters; or there are more than 16.',
    fix: 'write hostnames in lowercase without a port (`shop.example.com`, `*.example.com`).',
  },
  SWY_HTTPROUTE_PATH_INVALID: {
    summary: 'A path match has an unknown type, or an Exact or PathPrefix value that is not a plain absolute path.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'spec.rules[i].matches[j].path.type'` or `….path.value`", note: 'the HTTPRoute is left out' },
    cause: 'a path `type` is not `Exact`, `PathPrefix` or `RegularExpression`; or an `Exact`/`PathPrefix` value does not start with `/`, holds `//`, `/./`, `/../`, `%2f`, `%2F` or `#`, ends with `/.` or `/..`, or holds a character that is neither an RFC 3986 path character nor a `%XX` escape (a space, `?`, non-ASCII); or a value is over 1024 characters.',
    fix: 'write the path in its plain, encoded form (`/a/b`, `/caf%C3%A9`); a query is matched with `queryParams`, not in the path.',
  },
  SWY_HTTPROUTE_MATCH_INVALID: {
    summary: 'A header, query or method match is invalid, a name repeats within a match, or the route holds over 128 matches.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: '….headers[k]…'`, `….queryParams[k]…`, `….method` or `'spec.rules'`", note: 'the HTTPRoute is left out' },
    cause: 'a header or query param match lacks `name` or `value`, its name is not an HTTP token, its `type` is not `Exact` or `RegularExpression`, a value is empty or too long (4096 for headers, 1024 for query params); the same name appears twice in one match (exactly: the API server does not fold case); more than 16 of either; `method` is not an upper-case HTTP method; or all rules together hold more than 128 matches.',
    fix: 'list each header and query parameter once per match; split a route with very many matches in two.',
  },
  SWY_HTTPROUTE_FILTER_INVALID: {
    summary: 'A filter is invalid, repeated, or does not fit its rule.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: '….filters[k]…'`", note: 'the HTTPRoute is left out' },
    cause: "a filter's `type` is unknown, its settings field is missing, or it has the field of another type; a rule (or backendRef) holds both a RequestRedirect and a URLRewrite, or two of RequestHeaderModifier, ResponseHeaderModifier, RequestRedirect, URLRewrite or CORS; a RequestRedirect sits in a rule with backendRefs; a `replacePrefixMatch` is used in a rule that has not exactly one `PathPrefix` match; or a filter's own fields are invalid (header names, redirect `statusCode` not 301/302/303/307/308, `scheme` not http/https, a wildcard or uppercase redirect hostname, a path modifier whose `type` and field disagree, mirror `percent` and `fraction` together or a numerator over its denominator, CORS origins and methods).",
    fix: "set `type` and the one matching field (`type: RequestRedirect` with `requestRedirect: {...}`); redirect in a rule of its own, without backendRefs; give a rule using `replacePrefixMatch` exactly one `PathPrefix` match.",
  },
  SWY_HTTPROUTE_BACKEND_REF_INVALID: {
    summary: 'A backendRef (or a mirror backendRef) is invalid: no name, no port for a Service, a weight out of range.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: '….backendRefs[k]…'` or `….requestMirror.backendRef…`", note: 'the HTTPRoute is left out' },
    cause: 'a backendRef has no `name`, an invalid `group`, `kind` or `namespace`, a `port` outside 1-65535, a `weight` outside 0-1000000; or it refers to a Service (the default group `""` and kind `Service`) without a `port`.',
    fix: 'name the Service and its port: `backendRefs: [{ name: web, port: 8080 }]`.',
  },
  SWY_HTTPROUTE_TIMEOUT_INVALID: {
    summary: 'A rule timeout is not a Gateway API duration, or backendRequest is longer than request.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'spec.rules[i].timeouts.request'` or `….backendRequest`", note: 'the HTTPRoute is left out' },
    cause: 'a timeout is not 1 to 4 parts of up to 5 digits and a unit `h`, `m`, `s` or `ms` (GEP-2257: `10s`, `1h30m`, `500ms`; no fractions, no `us`, no spaces), or `backendRequest` is longer than a non-zero `request`.',
    fix: 'write durations like `30s` or `1m30s`, and keep `backendRequest` at most `request` (`0s` means no request timeout).',
  },
  SWY_GRPCROUTE_FIELD_INVALID: {
    summary: 'A GRPCRoute field is missing, of the wrong type or format.',
    reaches: { as: 'diagnostic', severity: 'error', note: 'the GRPCRoute is left out' },
    cause: '`spec` is missing; `spec.rules` holds more than 16 rules; a rule `name` is not a lowercase RFC 1123 subdomain; `matches`, `filters`, `backendRefs` or `hostnames` is not a list or over its limit (64 matches, 16 of the others).',
    fix: 'compare the field with the GRPCRoute schema (`kubectl explain grpcroute.spec.rules`).',
  },
  SWY_GRPCROUTE_PARENT_REF_INVALID: {
    summary: 'A GRPCRoute parentRef is invalid, or two parentRefs to one parent are not told apart by sectionName.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'spec.parentRefs[i]…'`", note: 'the GRPCRoute is left out' },
    cause: 'as for HTTPRoutes: no `name`, an invalid `group`, `kind`, `namespace` or `sectionName`, a port outside 1-65535, more than 32, or two parentRefs to the same parent without distinct `sectionName`s.',
    fix: 'attach to each listener of a Gateway once: `parentRefs: [{ name: gw, sectionName: grpc }]`.',
  },
  SWY_GRPCROUTE_HOSTNAME_INVALID: {
    summary: 'A GRPCRoute hostname is not a lowercase DNS name with "*." only as its first label.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'spec.hostnames[i]'`", note: 'the GRPCRoute is left out' },
    cause: 'a hostname has uppercase letters, a port, a trailing dot, a `*` anywhere but as a whole first label, is empty or over 253 characters; or there are more than 16.',
    fix: 'write hostnames in lowercase without a port (`grpc.example.com`, `*.example.com`).',
  },
  SWY_GRPCROUTE_MATCH_INVALID: {
    summary: 'A GRPCRoute method or header match is invalid, a header name repeats within a match, or the route holds over 128 matches.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: '….method…'`, `….headers[k]…` or `'spec.rules'`", note: 'the GRPCRoute is left out' },
    cause: 'a method match has a `type` but neither `service` nor `method`; its `type` is not `Exact` or `RegularExpression`; an Exact `service` is not a dotted name of letters, digits and `_` (`pkg.v1.Service`), or an Exact `method` is not a name of letters, digits and `_`; a value is over 1024 characters; a header match lacks `name` or `value`, has an invalid name or type, repeats a name, or there are more than 16; or all rules together hold more than 128 matches.',
    fix: 'write `method: { service: pkg.v1.Service, method: Get }`; match other shapes with `type: RegularExpression`.',
  },
  SWY_GRPCROUTE_FILTER_INVALID: {
    summary: 'A GRPCRoute filter is of a type GRPCRoute does not have, lacks its settings field, or repeats a header modifier.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: '….filters[k]…'`", note: 'the GRPCRoute is left out' },
    cause: "a filter's `type` is not `RequestHeaderModifier`, `ResponseHeaderModifier`, `RequestMirror` or `ExtensionRef` (GRPCRoute has no redirect, rewrite or CORS), its settings field is missing or another type's is set, a header modifier appears twice in one list, or the filter's own fields are invalid.",
    fix: 'set `type` and the one matching field (`type: RequestHeaderModifier` with `requestHeaderModifier: {...}`).',
  },
  SWY_GRPCROUTE_BACKEND_REF_INVALID: {
    summary: 'A GRPCRoute backendRef is invalid: no name, no port for a Service, a weight out of range.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: '….backendRefs[k]…'`", note: 'the GRPCRoute is left out' },
    cause: 'a backendRef has no `name`, an invalid `group`, `kind` or `namespace`, a `port` outside 1-65535, a `weight` outside 0-1000000; or it refers to a Service without a `port`.',
    fix: 'name the Service and its port: `backendRefs: [{ name: greeter, port: 50051 }]`.',
  },
  SWY_REFERENCEGRANT_FIELD_INVALID: {
    summary: 'A ReferenceGrant field is missing, of the wrong type or format.',
    reaches: { as: 'diagnostic', severity: 'error', note: 'the ReferenceGrant is left out (it grants nothing)' },
    cause: '`spec.from` or `spec.to` is missing, empty or over 16 entries; a `from` entry lacks `group`, `kind` or `namespace`; a `to` entry lacks `group` or `kind`; a group, kind, namespace or name has an invalid format (the core group is written `""`).',
    fix: 'write `from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: web }]` and `to: [{ group: "", kind: Service }]`.',
  },
  SWY_GATEWAY_API_DUPLICATE: {
    summary: 'Two Gateway API objects of one kind have the same namespace and name; the first is kept.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'metadata.name'`", note: 'the later copy is left out' },
    cause: 'two valid GatewayClasses, Gateways, HTTPRoutes, ReferenceGrants or Namespaces in the input have the same name (and namespace, for namespaced kinds; none means `default`). The first is kept.',
    fix: 'rename one, or remove the copy (often the same file loaded twice).',
  },
  // Diagnostics: compilation.
  SWY_INGRESS_DUPLICATE: {
    summary: 'Two Ingresses in the input have the same namespace and name; the first is kept.',
    reaches: { as: 'diagnostic', severity: 'error', field: "`field: 'metadata.name'`" },
    cause: 'two Ingresses in the input have the same namespace and name (an Ingress without a namespace is in `default`). The first is kept, the second left out.',
    fix: 'rename one, or remove the copy (often the same file loaded twice).',
  },
  SWY_INGRESS_CLASS_SKIPPED: {
    summary: 'The Ingress belongs to another IngressClass and is left out.',
    reaches: { as: 'diagnostic', severity: 'info' },
    cause: 'the router serves one IngressClass (`compile({ ingressClass })`) and this Ingress belongs to another, or names none while that class is not marked `ingressclass.kubernetes.io/is-default-class: "true"`. It is left out.',
    fix: "nothing, if the Ingress is meant for another controller. Otherwise set `spec.ingressClassName` to this router's class, or mark the class as the default.",
  },
  SWY_INGRESS_PATH_UNMATCHABLE: {
    summary: 'A path holds "?", "#" or an invalid percent-encoding, which no request path can match; the path is left out.',
    reaches: { as: 'diagnostic', severity: 'warning', field: "`field: '….path'`", note: 'only that path is left out' },
    cause: "a path holds `?` or `#` (the API server lets it), or a percent-encoding that no valid request can hold. The query and fragment never reach a request's path, so the rule could never match.",
    fix: 'remove the query or fragment from the path; match on the path alone.',
  },
  SWY_INGRESS_PATH_NORMALIZED: {
    summary: 'A rule path is matched in its normalized form (escapes decoded or uppercased, UTF-8 encoded, slashes merged).',
    reaches: { as: 'diagnostic', severity: 'info', field: "`field: '….path'`" },
    cause: 'a path is written in a form requests never arrive in, and is matched in the normalized form requests are: `ImplementationSpecific` `/a//b` or `/a/./b` as `/a/b`, and for any type an escaped unreserved character (`%7E` as `~`), lowercase hex (`%c3` as `%C3`), or a character beyond ASCII (`/café` as `/caf%C3%A9`).',
    fix: 'nothing is wrong; write the normalized form to silence it.',
  },
  SWY_ROUTE_CONFLICT: {
    summary: 'Two rules have the same host, path and type; the older Ingress keeps it.',
    reaches: { as: 'diagnostic', severity: 'warning', note: 'reported on the newer rule; `related` names the rule that wins' },
    cause: "two rules have the same host, path and type after normalization (`/foo` and `/foo/` as Prefix are the same; `ImplementationSpecific` counts as Prefix). The older Ingress keeps it (`creationTimestamp`, then namespace/name ascending; within one Ingress the first listed), and the message says which decided: \"which is older\", \"which comes first by namespace/name (same creation time)\" or \"which is listed first\". The loser's other rules still route.",
    fix: 'remove the duplicate rule, or give it a different host or path.',
  },
  SWY_ROUTE_DEFAULT_BACKEND_CONFLICT: {
    summary: 'Several Ingresses set a default backend; the oldest one is used.',
    reaches: { as: 'diagnostic', severity: 'warning', field: "`field: 'spec.defaultBackend'`", note: '`related` names the one used' },
    cause: "several Ingresses set `spec.defaultBackend`; the oldest one's is used (at the same creation time, the first by namespace/name, as the message says), the others ignored.",
    fix: "keep one default backend for the router's class, or route with a `Prefix /` rule on a host instead.",
  },
  // Diagnostics: compiling Gateways and HTTPRoutes (each also a status condition; see docs/gateway-api.md).
  SWY_HOST_ROUTED_BY_BOTH: {
    summary: 'A host is routed by an Ingress and by an HTTPRoute; each listener answers by its own rules.',
    reaches: { as: 'diagnostic', severity: 'info', note: 'on the first Ingress rule of the host; `related` names the HTTPRoute' },
    cause: "an Ingress rule's host (or a rule without a host) is also a hostname HTTPRoutes route on a Gateway port. Ingress rules are served on the Ingress listeners (`--listen`, `--tls-listen`) and HTTPRoutes on their Gateway listeners' ports: a request is routed by the rules of the socket it arrives on, never by both.",
    fix: 'nothing, while migrating from Ingress to HTTPRoute; delete the Ingress once clients use the Gateway port.',
  },
  SWY_GATEWAY_LISTENER_UNSUPPORTED: {
    summary: 'A Gateway listener uses a protocol or route kind Switchyard does not serve (only HTTP and HTTPS, HTTPRoute).',
    reaches: { as: 'diagnostic', severity: 'warning', field: "`field: 'spec.listeners[i].protocol'` or `….allowedRoutes.kinds`", note: 'the listener does not serve (condition `Accepted: False, UnsupportedProtocol`) or takes only the kinds it supports (`ResolvedRefs: False, InvalidRouteKinds`)' },
    cause: 'the listener is TLS, TCP or UDP, or its `allowedRoutes.kinds` names a kind other than HTTPRoute.',
    fix: 'serve that protocol with another implementation, or change the listener to HTTP or HTTPS.',
  },
  SWY_GATEWAY_CERTIFICATE_REF_INVALID: {
    summary: 'An HTTPS listener has no usable certificate: a certificateRef is missing, not a kubernetes.io/tls Secret, or in another namespace without a ReferenceGrant.',
    reaches: { as: 'diagnostic', severity: 'warning', field: "`field: 'spec.listeners[i].tls.certificateRefs[j]'`", note: 'condition `ResolvedRefs: False` (`InvalidCertificateRef` or `RefNotPermitted`); a listener left with no certificate does not serve (`Programmed: False`)' },
    cause: 'the Secret is not found, is not of type `kubernetes.io/tls`, the reference is not a core Secret, or it is in another namespace and no ReferenceGrant in that namespace lets Gateways of this one use it.',
    fix: 'create the Secret (`kubectl create secret tls`), or a ReferenceGrant in its namespace from `Gateway` in the Gateway\'s namespace to `Secret`.',
  },
  SWY_GATEWAY_PORT_CONFLICT: {
    summary: 'Two listeners on one port conflict: another protocol, or the same hostname; the older Gateway\'s (or the first listed) keeps the port.',
    reaches: { as: 'diagnostic', severity: 'warning', field: "`field: 'spec.listeners[i]'`", note: 'condition `Conflicted: True` (`ProtocolConflict` or `HostnameConflict`); the listener does not serve' },
    cause: 'listeners of the served Gateways share a port (they share its socket) but one is HTTP and the other HTTPS, or both are for the same hostname (or both for every hostname).',
    fix: 'give the listener another port or hostname.',
  },
  SWY_HTTPROUTE_NOT_ACCEPTED: {
    summary: 'An HTTPRoute does not attach to a Gateway it names: no listener allows it, no listener hostname matches, or no listener has that sectionName or port.',
    reaches: { as: 'diagnostic', severity: 'warning', field: "`field: 'spec.parentRefs[i]'`", note: 'condition `Accepted: False` with `NotAllowedByListeners`, `NoMatchingListenerHostname` or `NoMatchingParent`; the route serves nothing through that parent' },
    cause: "the listeners' `allowedRoutes` do not admit the route's namespace or kind, none of the route's hostnames intersects a listener's hostname, or `sectionName`/`port` name no listener of the Gateway.",
    fix: 'allow the namespace on the listener (`allowedRoutes.namespaces.from: All` or a selector), fix the hostnames, or the parentRef.',
  },
  SWY_HTTPROUTE_PARENT_UNKNOWN: {
    summary: 'An HTTPRoute names a Gateway that is not served here (not in the input, or of another class).',
    reaches: { as: 'diagnostic', severity: 'info', field: "`field: 'spec.parentRefs[i]'`", note: 'no status is ours to write for that parent' },
    cause: 'the parentRef names a Gateway that is not among the Gateways of the served class (`--gateway-class`, `--gateway`), or a parent kind other than Gateway.',
    fix: 'nothing, when another controller serves that Gateway; otherwise fix the parentRef or the class.',
  },
  SWY_HTTPROUTE_BACKEND_UNRESOLVED: {
    summary: 'An HTTPRoute backendRef does not resolve (Service not found, another namespace without a ReferenceGrant, or not a Service); its share of requests is answered 500.',
    reaches: { as: 'diagnostic', severity: 'warning', field: "`field: 'spec.rules[i].backendRefs[j]'`", note: 'condition `ResolvedRefs: False` with `BackendNotFound`, `RefNotPermitted` or `InvalidKind`; requests that would have gone to it get 500' },
    cause: 'the Service (or its port) is not in the input, it is in another namespace and no ReferenceGrant there permits HTTPRoutes of this namespace, or the backendRef is of a kind other than Service.',
    fix: 'create the Service, add a ReferenceGrant in its namespace from `HTTPRoute` to `Service`, or point the backendRef at a Service.',
  },
  SWY_HTTPROUTE_HEADER_IGNORED: {
    summary: 'A header modifier names a header the proxy owns (Host, Content-Length, X-Forwarded-*, X-Request-Id, hop-by-hop headers); that entry is ignored.',
    reaches: { as: 'diagnostic', severity: 'warning', field: "`field: '….requestHeaderModifier.set[i]'` (or `add`, `remove`, `responseHeaderModifier`)" },
    cause: 'the proxy sets or drops these headers on every message: framing (Content-Length, Transfer-Encoding, Connection), Host (changed by `URLRewrite.hostname`), what the upstream learns about the client (X-Forwarded-*, Forwarded, X-Real-IP) and the request id.',
    fix: 'remove the entry; use `URLRewrite.hostname` to change the Host sent upstream.',
  },
  SWY_HTTPROUTE_RULE_UNSUPPORTED: {
    summary: 'An HTTPRoute rule uses something Switchyard does not support (a filter type, a regular expression its linear-time engine refuses); the rule is left out or answers 500.',
    reaches: { as: 'diagnostic', severity: 'warning', field: "`field: 'spec.rules[i]…'`", note: 'condition `Accepted: False, UnsupportedValue` (all rules) or `PartiallyInvalid: True, UnsupportedValue`; a rule with an unsupported filter answers 500 rather than skip the filter' },
    cause: 'the rule uses a CORS, ExternalAuth or ExtensionRef filter, or a RegularExpression the linear-time engine refuses (backreferences, lookarounds; the message names the construct and its position).',
    fix: 'remove the filter or rewrite the expression without the refused construct.',
  },
  SWY_GRPCROUTE_NOT_ACCEPTED: {
    summary: 'A GRPCRoute does not attach to a Gateway it names: no listener allows it, no hostname matches, no listener has that sectionName or port, or an older HTTPRoute holds an intersecting hostname on the listener.',
    reaches: { as: 'diagnostic', severity: 'warning', field: "`field: 'spec.parentRefs[i]'`", note: 'condition `Accepted: False` with `NotAllowedByListeners`, `NoMatchingListenerHostname` or `NoMatchingParent`; the route serves nothing through that parent' },
    cause: "as for HTTPRoutes; and the spec's rule that a listener takes HTTPRoutes or GRPCRoutes for one hostname, not both: of an HTTPRoute and a GRPCRoute on one listener whose hostnames intersect, the older (creationTimestamp, then namespace/name) is accepted and the other is not (the same code's HTTPROUTE twin reports an HTTPRoute that loses).",
    fix: 'give the gRPC services hostnames of their own (`grpc.example.com`), or attach them to another listener.',
  },
  SWY_GRPCROUTE_PARENT_UNKNOWN: {
    summary: 'A GRPCRoute names a Gateway that is not served here (not in the input, or of another class).',
    reaches: { as: 'diagnostic', severity: 'info', field: "`field: 'spec.parentRefs[i]'`", note: 'no status is ours to write for that parent' },
    cause: 'the parentRef names a Gateway that is not among the Gateways of the served class, or a parent kind other than Gateway.',
    fix: 'nothing, when another controller serves that Gateway; otherwise fix the parentRef or the class.',
  },
  SWY_GRPCROUTE_BACKEND_UNRESOLVED: {
    summary: "A GRPCRoute backendRef does not resolve (Service not found, another namespace without a ReferenceGrant, or not a Service); its share of calls is answered with an error.",
    reaches: { as: 'diagnostic', severity: 'warning', field: "`field: 'spec.rules[i].backendRefs[j]'`", note: 'condition `ResolvedRefs: False` with `BackendNotFound`, `RefNotPermitted` or `InvalidKind`; calls that would have gone to it fail (the proxy answers gRPC `UNAVAILABLE`)' },
    cause: 'the Service (or its port) is not in the input, it is in another namespace and no ReferenceGrant there permits GRPCRoutes of this namespace, or the backendRef is of a kind other than Service.',
    fix: 'create the Service, add a ReferenceGrant in its namespace from `GRPCRoute` to `Service`, or point the backendRef at a Service.',
  },
  SWY_GRPCROUTE_HEADER_IGNORED: {
    summary: 'A GRPCRoute header modifier names a header the proxy owns; that entry is ignored.',
    reaches: { as: 'diagnostic', severity: 'warning', field: "`field: '….requestHeaderModifier.set[i]'` (or `add`, `remove`, `responseHeaderModifier`)" },
    cause: 'the proxy sets or drops these headers on every message (framing, Host, X-Forwarded-*, X-Request-Id), as for HTTPRoutes.',
    fix: 'remove the entry.',
  },
  SWY_GRPCROUTE_RULE_UNSUPPORTED: {
    summary: 'A GRPCRoute rule uses something Switchyard does not support (an ExtensionRef filter, a regular expression its linear-time engine refuses); the rule is left out or answers an error.',
    reaches: { as: 'diagnostic', severity: 'warning', field: "`field: 'spec.rules[i]…'`", note: 'condition `Accepted: False, UnsupportedValue` (all rules) or `PartiallyInvalid: True, UnsupportedValue`; a rule with an unsupported filter fails its calls rather than skip the filter' },
    cause: 'the rule uses an ExtensionRef filter, or a RegularExpression service, method or header value the linear-time engine refuses (backreferences, lookarounds).',
    fix: 'remove the filter or rewrite the expression without the refused construct.',
  },
});

/** A stable Switchyard error or diagnostic code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The object an error is about, as Kubernetes names it. */
export interface ErrorSubject {
  readonly kind: string;
  readonly namespace?: string;
  readonly name?: string;
}

export interface SwitchyardErrorOptions {
  readonly statusCode?: number;
  readonly subject?: ErrorSubject;
  readonly field?: string;
  readonly cause?: unknown;
}

const BRAND = Symbol.for('switchyard.error');

/**
 * The one error class Switchyard throws; the satellite packages extend it with codes of their
 * own (`SWY_DNS_*`, `SWY_KUBE_*`). Branded with `Symbol.for` so `instanceof` holds across two
 * installed copies of the package.
 */
export class SwitchyardError<Code extends string = ErrorCode> extends Error {
  override readonly name = 'SwitchyardError';
  readonly code: Code;
  readonly statusCode: number | undefined;
  readonly subject: ErrorSubject | undefined;
  readonly field: string | undefined;

  // NoInfer: `new SwitchyardError(code)` takes only core's codes; subclasses name their own.
  constructor(code: NoInfer<Code>, message: string, options: SwitchyardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.statusCode = options.statusCode;
    this.subject = options.subject;
    this.field = options.field;
  }

  get [BRAND](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** True for any Switchyard error, optionally of one code. */
export function isSwitchyardError(value: unknown, code?: ErrorCode): value is SwitchyardError {
  return value instanceof SwitchyardError && (code === undefined || value.code === code);
}
