import type { BackendRef } from '../backend-ref.js';

/**
 * The HTTPRoute filters, compiled once into the data the proxy applies per request: names
 * lowercased, defaults filled in, nothing left to parse or decide on the hot path.
 */

/** A `RequestHeaderModifier` or `ResponseHeaderModifier`. Header names are lowercase. */
export interface HeaderModifier {
  /** Replace every value of the header with this one (or add it). */
  readonly set: ReadonlyArray<readonly [name: string, value: string]>;
  /** Append this value to the header's values (joined with `,`), or add it. */
  readonly add: ReadonlyArray<readonly [name: string, value: string]>;
  /** Drop the header. */
  readonly remove: readonly string[];
  /** Every name the modifier touches, for one pass over the headers. */
  readonly names: ReadonlySet<string>;
}

/** How a redirect or rewrite changes the path. */
export type PathModifier =
  | { readonly type: 'ReplaceFullPath'; readonly value: string }
  /** Replaces the matched PathPrefix (whole elements; the spec's table of `/` edge cases applies). */
  | { readonly type: 'ReplacePrefixMatch'; readonly value: string };

/** A `RequestRedirect`: the proxy answers with `statusCode` and a Location built from the request and these. */
export interface RedirectAction {
  /** Default: the request's scheme. */
  readonly scheme: 'http' | 'https' | undefined;
  /** Default: the request's host (without its port). */
  readonly hostname: string | undefined;
  /** Default: the request's path, unchanged. */
  readonly path: PathModifier | undefined;
  /** Default: 80/443 when `scheme` is set, else the listener's port; never written when it is the scheme's well-known port. */
  readonly port: number | undefined;
  readonly statusCode: 301 | 302 | 303 | 307 | 308;
}

/** A `URLRewrite`: what the upstream sees instead of the request's Host and path. */
export interface RewriteAction {
  readonly hostname: string | undefined;
  readonly path: PathModifier | undefined;
}

/** A `RequestMirror`: a copy of the request goes to the mirror backend, its answer ignored. */
export interface MirrorAction {
  /** The mirror backend; the router watches it like any route's (`router.backendByKey(backendKey)`). */
  readonly backend: BackendRef;
  readonly backendKey: string;
  /** The share of requests mirrored, 0 to 1 (`percent` / 100 or `fraction`). */
  readonly fraction: number;
}

/** `timeouts` of an HTTPRoute rule, in milliseconds; undefined: none (the proxy's own limits only). */
export interface RuleTimeouts {
  /** From the request's arrival to the end of the response's head. */
  readonly requestMs: number | undefined;
  /** Per attempt on an upstream, to the end of its response's head. */
  readonly backendRequestMs: number | undefined;
}

/** The filters of one HTTPRoute rule, or of one backendRef (which apply after the rule's). */
export interface FilterActions {
  readonly requestHeaders: HeaderModifier | undefined;
  readonly responseHeaders: HeaderModifier | undefined;
  /** A redirect rule sends no request upstream. */
  readonly redirect: RedirectAction | undefined;
  readonly rewrite: RewriteAction | undefined;
  readonly mirrors: readonly MirrorAction[];
}
