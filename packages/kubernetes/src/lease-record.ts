/**
 * A `coordination.k8s.io/v1` Lease as leader election reads and writes it, and the record in its
 * spec. client-go's `LeaseLock` keeps the same fields.
 */
export interface Lease {
  readonly apiVersion: 'coordination.k8s.io/v1';
  readonly kind: 'Lease';
  readonly metadata: { readonly name: string; readonly namespace: string; readonly resourceVersion?: string };
  readonly spec?: LeaseSpec;
}

export interface LeaseSpec {
  /** Who holds the lease; '' or absent once released. */
  readonly holderIdentity?: string;
  /** How long, from the last renewal a candidate saw, the lease stays held. */
  readonly leaseDurationSeconds?: number;
  /** RFC 3339 with microseconds (`MicroTime`), as client-go writes it. */
  readonly acquireTime?: string;
  readonly renewTime?: string;
  /** How many times the lease changed hands. */
  readonly leaseTransitions?: number;
}

/** The Lease's API path: the collection without `name`, one Lease with it. */
export function leasePath(namespace: string, name?: string): string {
  const collection = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
  return name === undefined ? collection : `${collection}/${encodeURIComponent(name)}`;
}

/** `MicroTime`: `2026-12-05T00:00:00.123000Z`, the format the API server stores for Lease times. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * The record's identity for change detection: client-go compares the whole record it last saw
 * with the one it reads, and restarts its expiry clock whenever they differ.
 */
export function recordKey(spec: LeaseSpec | undefined): string {
  if (spec === undefined) return '';
  return [spec.holderIdentity ?? '', spec.leaseDurationSeconds ?? '', spec.acquireTime ?? '', spec.renewTime ?? '', spec.leaseTransitions ?? ''].join('\u0000');
}
