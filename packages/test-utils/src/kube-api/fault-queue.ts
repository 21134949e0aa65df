/** Which requests a queued failure may hit. */
export type FaultTarget = 'resources' | 'all' | 'list' | 'get' | 'watch' | 'write';

/** How the next requests fail. */
export interface FailOptions {
  /** The HTTP status; 500 when omitted. */
  readonly status?: number;
  /** Sent as `Retry-After` and as `details.retryAfterSeconds` in the Status, as the API server does for 429. */
  readonly retryAfterSeconds?: number;
  readonly message?: string;
  /**
   * Which requests count; `'resources'` (every request except discovery) when omitted. `'write'`
   * is every POST, PUT, PATCH and DELETE, a status subresource's included; `'get'` covers a GET of `/status`.
   */
  readonly only?: FaultTarget;
}

/** The kind of a request, as a fault target sees it. */
export type RequestKind = 'discovery' | 'list' | 'get' | 'watch' | 'write';

interface Pending {
  remaining: number;
  readonly options: FailOptions;
}

/** Failures queued by `failNext`, consumed in order by the requests they target. */
export class FaultQueue {
  private pending: Pending[] = [];

  add(count: number, options: FailOptions): void {
    if (!Number.isInteger(count) || count < 1) throw new TypeError('kube-api fixture: failNext count must be a positive integer');
    this.pending.push({ remaining: count, options });
  }

  /** The failure this request gets, if any; consumes one. */
  take(kind: RequestKind): FailOptions | undefined {
    const index = this.pending.findIndex((p) => targets(p.options.only ?? 'resources', kind));
    if (index < 0) return undefined;
    const found = this.pending[index]!;
    if (--found.remaining === 0) this.pending.splice(index, 1);
    return found.options;
  }

  clear(): void {
    this.pending = [];
  }
}

function targets(target: FaultTarget, kind: RequestKind): boolean {
  if (target === 'all') return true;
  if (target === 'resources') return kind !== 'discovery';
  return target === kind;
}
