import { SwitchyardError } from '../errors.js';

/**
 * Which ExternalName Services a discovery resolves. None by default: an ExternalName makes the
 * gateway resolve and connect to whatever name the Service's author wrote (internal hosts,
 * cloud metadata), the reason other gateways turned it off after a CVE. An operator opts in
 * per name.
 */
export interface ExternalNameAllowList {
  /** The patterns as given (`api.example.com`, `*.example.net`, `*`). */
  readonly patterns: readonly string[];
  /** True when `hostname` (any case, with or without a trailing dot) may be resolved. */
  allows(hostname: string): boolean;
}

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * Compiles `patterns` once:
 * - `*` allows every name;
 * - `*.example.com` allows every name under `example.com`, however many labels deep
 *   (`a.example.com`, `a.b.example.com`), but not `example.com` itself: list it too for that;
 * - anything else is an exact name.
 * Patterns and names compare case-insensitively, a trailing dot ignored.
 *
 * @throws SwitchyardError `SWY_DISCOVERY_INVALID_OPTIONS`, `field` naming the pattern
 *   (`allowExternalNames[1]`), for a pattern that is none of these.
 */
export function createExternalNameAllowList(patterns: readonly string[] = [], field = 'allowExternalNames'): ExternalNameAllowList {
  if (!Array.isArray(patterns)) throw new SwitchyardError('SWY_DISCOVERY_INVALID_OPTIONS', `${field} must be an array of names or patterns`, { field });
  let all = false;
  const exact = new Set<string>();
  const suffixes = new Set<string>();
  (patterns as readonly unknown[]).forEach((pattern, index) => {
    const at = `${field}[${index}]`;
    if (typeof pattern !== 'string') throw new SwitchyardError('SWY_DISCOVERY_INVALID_OPTIONS', `${at} must be a string`, { field: at });
    const name = normalize(pattern);
    if (pattern === '*') {
      all = true;
    } else if (name.startsWith('*.') && isDnsName(name.slice(2))) {
      suffixes.add(name.slice(1)); // '.example.com'
    } else if (isDnsName(name)) {
      exact.add(name);
    } else {
      throw new SwitchyardError('SWY_DISCOVERY_INVALID_OPTIONS', `${at} ${JSON.stringify(pattern)} is not a DNS name, "*.domain" or "*"`, { field: at });
    }
  });
  const frozen = Object.freeze([...patterns]);
  return {
    patterns: frozen,
    allows(hostname: string): boolean {
      if (all) return true;
      const name = normalize(hostname);
      if (exact.has(name)) return true;
      if (suffixes.size === 0) return false;
      // Every parent domain of the name, nearest first: one lookup per label.
      for (let dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
        if (suffixes.has(name.slice(dot))) return true;
      }
      return false;
    },
  };
}

/** Why an ExternalName Service is not resolved, and how to allow it: shared by discovery and `serviceBackendDiagnostics`. */
export function externalNameDeniedMessage(service: string, hostname: string): string {
  return `Service ${service} is of type ExternalName (spec.externalName ${hostname}), which is not resolved unless allowed: allow it with --allow-external-name ${hostname} (allowExternalNames in code)`;
}

function normalize(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function isDnsName(name: string): boolean {
  return name.length > 0 && name.length <= 253 && name.split('.').every((label) => LABEL.test(label));
}
