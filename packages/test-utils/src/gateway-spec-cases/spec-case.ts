/** What a request should get: the rule of a route (and the Service it forwards to), or a 404. */
export type GatewaySpecExpectation =
  | {
      /** `namespace/name` of the HTTPRoute. */
      readonly route: string;
      /** Index in the route's `spec.rules`. */
      readonly rule: number;
      /** Name of the Service the rule's only backendRef names (in the route's namespace unless the case says otherwise). */
      readonly backend: string;
    }
  | { readonly status: 404 };

export interface GatewaySpecRequest {
  /** The listener port (as written in the manifests; an end-to-end runner maps it to the port it really listens on). */
  readonly port: number;
  /** The Host header as sent (any case, maybe with a port). */
  readonly host: string;
  /** Already normalized, without query. */
  readonly path: string;
  /** Default `GET`. */
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The raw query string, without `?`. */
  readonly query?: string;
  readonly expect: GatewaySpecExpectation;
  /** Why this is the answer, where it is not obvious: the spec rule the request exercises. */
  readonly why?: string;
}

/**
 * One behaviour of Gateway API HTTPRoute matching: manifests, requests, and the answers the
 * spec gives, worked out by hand from the spec's doc comments (never by running a matcher).
 */
export interface GatewaySpecCase {
  readonly name: string;
  /** What the case is about, with the spec section it comes from. */
  readonly description: string;
  /**
   * Multi-document YAML: Namespaces, Gateways, HTTPRoutes, ReferenceGrants, and a Service plus
   * EndpointSlice per backend whose ports are placeholders (see `fillBackendPorts`).
   */
  readonly manifests: string;
  readonly requests: readonly GatewaySpecRequest[];
}
