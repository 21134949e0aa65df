/**
 * Every error code Switchyard's core throws or reports, in one registry.
 * `docs/errors.md` lists each with its cause and fix; a test keeps the two in step.
 */
export const ERROR_CODES = {
  // Thrown: bad request input (the adapter answers with `statusCode`).
  SWY_REQUEST_BAD_PATH: 'The request path is not an absolute path or holds an invalid percent-encoding.',
  SWY_REQUEST_BAD_HOST: 'The Host holds characters no host name, IP literal or port may hold.',
  // Thrown: API misuse.
  SWY_COMPILE_INVALID_OPTIONS: 'compile() was called with options of the wrong shape.',
  SWY_MANIFEST_INVALID_OPTIONS: 'loadManifests() was called with input of the wrong shape.',
  SWY_ROUTER_INVALID_OPTIONS: 'new Router() was given options of the wrong shape.',
  SWY_DISCOVERY_CLOSED: 'A discovery or router was used after close().',
  SWY_BALANCER_INVALID_POLICY: 'A balancer policy is not an object of a known kind, or a field of it is unknown, missing or out of range.',
  SWY_BALANCER_INVALID_OPTIONS: 'createBackendBalancer() was given options of the wrong shape (outlier detection, clock, random source).',
  // Endpoint set problems: the set is empty (or stale) and says why.
  SWY_DISCOVERY_SERVICE_NOT_FOUND: 'The Service a backend names does not exist.',
  SWY_DISCOVERY_PORT_NOT_FOUND: 'The Service has no port with the number or name the backend names.',
  SWY_DISCOVERY_EXTERNAL_NAME_UNSUPPORTED: 'An ExternalName Service was met by a discovery with no DNS resolver.',
  SWY_DISCOVERY_RESOURCE_BACKEND: 'A resource backend has no endpoints to discover.',
  // Diagnostics: manifests.
  SWY_MANIFEST_FILE_UNREADABLE: 'A manifest file or directory could not be read.',
  SWY_MANIFEST_YAML_INVALID: 'A YAML document does not parse.',
  SWY_MANIFEST_OBJECT_INVALID: 'A document is not a Kubernetes object (no apiVersion/kind, or not a mapping).',
  SWY_MANIFEST_VERSION_UNSUPPORTED: 'An Ingress or IngressClass is of an API version other than networking.k8s.io/v1 and is not read.',
  // Diagnostics: Ingress validation, as the API server does it.
  SWY_INGRESS_METADATA_INVALID: 'metadata.name or metadata.namespace is missing or not a valid name.',
  SWY_INGRESS_SPEC_EMPTY: 'The Ingress has neither rules nor a default backend.',
  SWY_INGRESS_FIELD_INVALID: 'A field has the wrong type (a list that is not a list, a string that is not a string).',
  SWY_INGRESS_HOST_INVALID: 'A host is not a lowercase RFC 1123 name or "*." followed by one, or is an IP address.',
  SWY_INGRESS_PATHS_EMPTY: 'A rule has an http section with no paths.',
  SWY_INGRESS_PATH_TYPE_INVALID: 'pathType is missing or not one of Exact, Prefix, ImplementationSpecific.',
  SWY_INGRESS_PATH_INVALID: 'A path is not absolute, or holds a sequence the API server refuses in Exact and Prefix paths.',
  SWY_INGRESS_BACKEND_INVALID: 'A backend sets both or neither of service and resource.',
  SWY_INGRESS_SERVICE_NAME_INVALID: 'A backend service name is missing or not a DNS-1035 label.',
  SWY_INGRESS_SERVICE_PORT_INVALID: 'A backend service port sets both or neither of number and name, or one out of range.',
  SWY_INGRESS_RESOURCE_INVALID: 'A resource backend lacks kind or name, or has an invalid apiGroup.',
  SWY_INGRESS_TLS_INVALID: 'A spec.tls entry has an invalid host or secretName.',
  SWY_INGRESS_CLASS_INVALID: 'spec.ingressClassName is not a valid name, or it and the legacy annotation disagree.',
  // Diagnostics: compilation.
  SWY_INGRESS_DUPLICATE: 'Two Ingresses in the input have the same namespace and name; the first is kept.',
  SWY_INGRESS_CLASS_SKIPPED: 'The Ingress belongs to another IngressClass and is left out.',
  SWY_INGRESS_PATH_UNMATCHABLE: 'A path holds "?", "#" or an invalid percent-encoding, which no request path can match; the path is left out.',
  SWY_INGRESS_PATH_NORMALIZED: 'A rule path is matched in its normalized form (escapes decoded or uppercased, UTF-8 encoded, slashes merged).',
  SWY_ROUTE_CONFLICT: 'Two rules have the same host, path and type; the older Ingress keeps it.',
  SWY_ROUTE_DEFAULT_BACKEND_CONFLICT: 'Several Ingresses set a default backend; the oldest one is used.',
} as const;

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
