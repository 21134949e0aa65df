import { SwitchyardError } from '../errors.js';
import { DEFAULT_LEAST_REQUEST_CHOICES } from './least-request.js';

/** How a backend spreads requests over its endpoints. */
export type BalancerPolicy =
  /** Smooth weighted round robin (nginx's algorithm); weight from `Endpoint.weight` (default 1). */
  | { readonly kind: 'round-robin' }
  /** Power of N random choices (default 2): fewest in flight per unit of weight wins. */
  | { readonly kind: 'least-request'; readonly choices?: number }
  /** A consistent-hash ring: adding or removing one endpoint moves only ~1/N of the keys. */
  | { readonly kind: 'consistent-hash'; readonly on: HashOn };

/**
 * What a consistent-hash policy hashes: a request header (by its lowercase name, as Node
 * reports headers), a cookie (by its case-sensitive name), or the client's address.
 */
export type HashOn = { readonly header: string } | { readonly cookie: string } | { readonly clientAddress: true };

/** The most random choices a least-request policy may compare (each costs a draw per pick). */
const MAX_LEAST_REQUEST_CHOICES = 16;

const ROUND_ROBIN: BalancerPolicy = Object.freeze({ kind: 'round-robin' });

/**
 * Validates a policy written by a user (in options or YAML) and returns it normalized and
 * frozen: header names lowercased, least-request's `choices` filled in. Throws
 * `SWY_BALANCER_INVALID_POLICY` with `field` naming the offending field under `field`
 * (`backends.api.balancer.on.header`), unknown fields included, so a typo is not ignored.
 */
export function parseBalancerPolicy(value: unknown, field: string): BalancerPolicy {
  if (!isRecord(value)) throw invalid(field, 'must be an object with a kind');
  switch (value['kind']) {
    case 'round-robin':
      onlyFields(value, field, ['kind']);
      return ROUND_ROBIN;
    case 'least-request': {
      onlyFields(value, field, ['kind', 'choices']);
      const choices = value['choices'] ?? DEFAULT_LEAST_REQUEST_CHOICES;
      if (typeof choices !== 'number' || !Number.isInteger(choices) || choices < 2 || choices > MAX_LEAST_REQUEST_CHOICES) {
        throw invalid(join(field, 'choices'), `must be an integer from 2 to ${MAX_LEAST_REQUEST_CHOICES}`);
      }
      return Object.freeze({ kind: 'least-request', choices });
    }
    case 'consistent-hash':
      onlyFields(value, field, ['kind', 'on']);
      return Object.freeze({ kind: 'consistent-hash', on: parseHashOn(value['on'], join(field, 'on')) });
    default:
      throw invalid(join(field, 'kind'), 'must be one of round-robin, least-request, consistent-hash');
  }
}

function parseHashOn(value: unknown, field: string): HashOn {
  if (!isRecord(value)) throw invalid(field, 'must be an object with one of header, cookie, clientAddress');
  const keys = Object.keys(value);
  for (const key of keys) {
    if (key !== 'header' && key !== 'cookie' && key !== 'clientAddress') throw invalid(join(field, key), 'is not a field of on');
  }
  if (keys.length !== 1) throw invalid(field, 'must set exactly one of header, cookie, clientAddress');
  if ('header' in value) {
    const header = value['header'];
    if (typeof header !== 'string' || !isToken(header)) throw invalid(join(field, 'header'), 'must be an HTTP header name');
    return Object.freeze({ header: header.toLowerCase() });
  }
  if ('cookie' in value) {
    const cookie = value['cookie'];
    if (typeof cookie !== 'string' || !isToken(cookie)) throw invalid(join(field, 'cookie'), 'must be a cookie name (an RFC 6265 token)');
    return Object.freeze({ cookie });
  }
  if (value['clientAddress'] !== true) throw invalid(join(field, 'clientAddress'), 'must be true');
  return CLIENT_ADDRESS;
}

const CLIENT_ADDRESS: HashOn = Object.freeze({ clientAddress: true });

/** RFC 9110 token: header names and (RFC 6265) cookie names. */
function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!TCHAR.has(text[i]!)) return false;
  return true;
}

const TCHAR = new Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

function onlyFields(value: Record<string, unknown>, field: string, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw invalid(join(field, key), `is not a field of a ${String(value['kind'])} policy`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(field: string, name: string): string {
  return field === '' ? name : `${field}.${name}`;
}

function invalid(field: string, problem: string): SwitchyardError {
  return new SwitchyardError('SWY_BALANCER_INVALID_POLICY', `${field || 'policy'} ${problem}`, { field });
}
