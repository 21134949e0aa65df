import { isIP } from '../ip-address.js';

/**
 * The name rules of `k8s.io/apimachinery/pkg/util/validation`, each returning the reason a
 * value fails, or undefined. Compiled once at module load.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const IANA_PORT_NAME = /^[-a-z0-9]+$/;
const HAS_LETTER = /[a-z]/;
/** ParseIPSloppy accepts IPv4 with leading zeros, which node:net does not. */
const SLOPPY_IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function dns1123LabelProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(value)) {
    return "must consist of lowercase alphanumeric characters or '-', and start and end with an alphanumeric character (RFC 1123 label)";
  }
  return undefined;
}

export function dns1123SubdomainProblem(value: string): string | undefined {
  if (value.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return "must consist of lowercase alphanumeric characters, '-' or '.', and start and end with an alphanumeric character (RFC 1123 subdomain)";
  }
  return undefined;
}

export function wildcardDns1123SubdomainProblem(value: string): string | undefined {
  if (value.length > 253) return 'must be no more than 253 characters';
  if (!value.startsWith('*.') || !DNS1123_SUBDOMAIN.test(value.slice(2))) {
    return "a wildcard must be '*.' followed by a lowercase RFC 1123 subdomain (e.g. '*.example.com')";
  }
  return undefined;
}

export function dns1035LabelProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!DNS1035_LABEL.test(value)) {
    return "must consist of lowercase alphanumeric characters or '-', start with a letter and end with an alphanumeric character (RFC 1035 label)";
  }
  return undefined;
}

/** IANA_SVC_NAME: what a Service port name may be. */
export function portNameProblem(value: string): string | undefined {
  if (value.length > 15) return 'must be no more than 15 characters';
  if (!IANA_PORT_NAME.test(value)) return "must contain only lowercase alphanumeric characters and '-'";
  if (!HAS_LETTER.test(value)) return 'must contain at least one letter';
  if (value.includes('--')) return "must not contain consecutive hyphens";
  if (value.startsWith('-') || value.endsWith('-')) return "must not begin or end with a hyphen";
  return undefined;
}

export function portNumberProblem(value: number): string | undefined {
  if (!Number.isInteger(value) || value < 1 || value > 65535) return 'must be between 1 and 65535, inclusive';
  return undefined;
}

/** IsValidPathSegmentName: what an object name used in an API path may be. */
export function pathSegmentNameProblem(value: string): string | undefined {
  if (value === '.' || value === '..') return `may not be '${value}'`;
  if (value.includes('/') || value.includes('%')) return "may not contain '/' or '%'";
  return undefined;
}

/** True for anything Kubernetes' ParseIPSloppy takes for an IP address. */
export function looksLikeIp(value: string): boolean {
  return isIP(value) !== 0 || SLOPPY_IPV4.test(value);
}

/** Why a rule host is invalid (wildcard allowed), or undefined. */
export function hostProblem(host: string): string | undefined {
  if (looksLikeIp(host)) return 'must be a DNS name, not an IP address';
  return tlsHostProblem(host);
}

/** Why a TLS host is invalid: the DNS form only, since the API server has no IP rule there. */
export function tlsHostProblem(host: string): string | undefined {
  if (host.includes(':')) return 'must not hold a port';
  if (host !== host.toLowerCase()) return 'must be lowercase';
  return host.includes('*') ? wildcardDns1123SubdomainProblem(host) : dns1123SubdomainProblem(host);
}
