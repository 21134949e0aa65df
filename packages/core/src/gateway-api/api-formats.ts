/**
 * The string formats of the Gateway API's shared types (`apis/v1/shared_types.go`), as the
 * CRDs' `pattern`, `minLength` and `maxLength` state them. Each is a `StringFormat` the field
 * checks apply; the expressions are compiled once, at module load.
 */

export interface StringFormat {
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Tested unanchored, as Go's `MatchString` does: the anchors are part of the pattern. */
  readonly pattern?: RegExp;
  /** What the pattern asks for, for the message. */
  readonly describe?: string;
}

const SUBDOMAIN = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';

/** `Hostname`: a lowercase RFC 1123 name, or `*.` followed by one (the wildcard only as the whole first label). */
export const HOSTNAME: StringFormat = {
  minLength: 1,
  maxLength: 253,
  pattern: new RegExp(`^(\\*\\.)?${SUBDOMAIN}$`),
  describe: "a lowercase RFC 1123 hostname, optionally prefixed by '*.' (e.g. 'example.com', '*.example.com')",
};

/** `PreciseHostname`: a lowercase RFC 1123 name, no wildcard. */
export const PRECISE_HOSTNAME: StringFormat = {
  minLength: 1,
  maxLength: 253,
  pattern: new RegExp(`^${SUBDOMAIN}$`),
  describe: "a lowercase RFC 1123 hostname without a wildcard (e.g. 'example.com')",
};

/** `Group`: an API group, `''` for the core group. */
export const GROUP: StringFormat = {
  maxLength: 253,
  pattern: new RegExp(`^$|^${SUBDOMAIN}$`),
  describe: "an API group: '' (core) or a lowercase RFC 1123 subdomain",
};

/** `Kind`: a CamelCase kind. */
export const KIND: StringFormat = {
  minLength: 1,
  maxLength: 63,
  pattern: /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/,
  describe: "a kind: letters, digits and '-', starting with a letter (e.g. 'Service')",
};

/** `ObjectName`: any non-empty name up to 253 characters (the target's own rules apply there). */
export const OBJECT_NAME: StringFormat = { minLength: 1, maxLength: 253 };

/** `Namespace`: an RFC 1123 label. */
export const NAMESPACE: StringFormat = {
  minLength: 1,
  maxLength: 63,
  pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
  describe: 'a namespace name: a lowercase RFC 1123 label',
};

/** `SectionName` (listener names, `parentRefs[].sectionName`, rule names): an RFC 1123 subdomain. */
export const SECTION_NAME: StringFormat = {
  minLength: 1,
  maxLength: 253,
  pattern: new RegExp(`^${SUBDOMAIN}$`),
  describe: 'a lowercase RFC 1123 subdomain',
};

/** `HTTPHeaderName` (and CORS header names): an RFC 7230 token. */
export const HEADER_NAME: StringFormat = {
  minLength: 1,
  maxLength: 256,
  pattern: /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/,
  describe: "an HTTP header name (an RFC 7230 token: letters, digits and !#$%&'*+-.^_`|~)",
};

/** `Duration` (GEP-2257): one to four `<1-5 digits><h|m|s|ms>` parts, `0s` for none. */
export const DURATION: StringFormat = {
  pattern: /^([0-9]{1,5}(h|m|s|ms)){1,4}$/,
  describe: "a Gateway API duration: 1 to 4 parts of up to 5 digits and a unit h, m, s or ms (e.g. '10s', '1h30m', '500ms')",
};

/** `GatewayController`: a domain-prefixed path (`example.com/gateway-controller`). */
export const CONTROLLER_NAME: StringFormat = {
  minLength: 1,
  maxLength: 253,
  pattern: new RegExp(`^${SUBDOMAIN}\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$`),
  describe: "a domain-prefixed path (e.g. 'example.com/gateway-controller')",
};

/**
 * `ProtocolType`: a core protocol name or a domain-prefixed one. The CRD anchors only the first
 * alternative; kept as written, since that is what the API server tests.
 */
export const PROTOCOL: StringFormat = {
  minLength: 1,
  maxLength: 255,
  pattern: new RegExp(`^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|${SUBDOMAIN}\\/[A-Za-z0-9]+$`),
  describe: "a protocol name ('HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP') or a domain-prefixed one ('example.com/proto')",
};

/** `AddressType`: `IPAddress`, `Hostname`, `NamedAddress` or a domain-prefixed type (the CRD's loose anchoring kept). */
export const ADDRESS_TYPE: StringFormat = {
  minLength: 1,
  maxLength: 253,
  pattern: new RegExp(`^Hostname|IPAddress|NamedAddress|${SUBDOMAIN}\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$`),
  describe: "'IPAddress', 'Hostname', 'NamedAddress' or a domain-prefixed type",
};

/** Characters an `Exact` or `PathPrefix` path value may hold: RFC 3986 path characters and `%XX` escapes. */
export const MATCH_PATH_CHARACTERS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;

/** A CORS origin: `*`, or `http(s)://host[:port]` with an optional `*.` wildcard or `*` host. */
export const CORS_ORIGIN: StringFormat = {
  minLength: 1,
  maxLength: 253,
  pattern: /(^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)/,
  describe: "'*' or an origin 'http(s)://host[:port]' (host may start with '*.')",
};

/** A label value (metadata labels, `infrastructure.labels`). */
export const LABEL_VALUE: StringFormat = {
  maxLength: 63,
  pattern: /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/,
  describe: "a label value: up to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
};

/** A label or annotation key: an optional DNS subdomain prefix and `/`, then a name of up to 63 characters. */
export const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;

/** Why a label or annotation key is invalid, or undefined (the CRDs' and ObjectMeta's rule). */
export function qualifiedNameProblem(key: string): string | undefined {
  if (!QUALIFIED_NAME.test(key)) return 'must be an optional DNS subdomain prefix and \'/\', then a name of up to 63 letters, digits, \'-\', \'_\' or \'.\' starting and ending with a letter or digit';
  const slash = key.indexOf('/');
  if (slash >= 253) return 'its prefix must be no more than 253 characters';
  return undefined;
}
