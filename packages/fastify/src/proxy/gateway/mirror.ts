import type { UpstreamProtocol } from '@switchyard/core';
import type { Dispatcher } from 'undici';
import type { UpstreamDispatcher } from '../h2c-sessions.js';

/**
 * Mirror requests in flight at once, per `Mirror` (the proxy makes one, so per process): past
 * it a copy is dropped, not queued. A mirror that answers slowly then costs a bounded number
 * of sockets and buffered bodies (at most `requestBody.bufferBytes` each), and never a queue
 * that grows with traffic. 128 is the proxy's default connections per endpoint: a mirror
 * backend never gets more connections than a primary one.
 */
export const DEFAULT_MIRRORS_IN_FLIGHT = 128;

/**
 * How long a mirror request may wait for its answer's head, and then between two of its body's
 * chunks. Its answer is thrown away: this only bounds how long it holds its in-flight slot.
 */
export const DEFAULT_MIRROR_TIMEOUT_MS = 10_000;

export interface MirrorOptions {
  /** Default `DEFAULT_MIRRORS_IN_FLIGHT`. */
  readonly maxInFlight?: number;
  /** Default `DEFAULT_MIRROR_TIMEOUT_MS`. */
  readonly timeoutMs?: number;
  /** Told of every mirror request that failed (for a log line); must not throw. */
  readonly onFailure?: (error: Error) => void;
  /** Where copies to h2c endpoints go (`send`'s `protocol`); without it they go over HTTP/1.1 like the rest. */
  readonly h2c?: UpstreamDispatcher;
}

/** What became of one request's copy. */
export type MirrorResult =
  /** Dispatched; it completes or fails on its own. */
  | 'sent'
  /** Left out by the mirror's `fraction`. */
  | 'not-sampled'
  /** The request's body is streamed to the primary upstream: there is no copy of it to send. */
  | 'streamed-body'
  /** `maxInFlight` mirror requests are in flight already. */
  | 'busy';

/**
 * Sends copies of requests to a `RequestMirror`'s endpoint on an undici Dispatcher (the
 * proxy's Agent), fire and forget: `send` returns at once, the client's request never waits
 * for the copy, the copy's answer is read and dropped, its failure counted (and told to
 * `onFailure`), never seen by the client.
 *
 * The body: a request body the proxy buffered whole (a Buffer, `ClientBody`'s usual case up to
 * `requestBody.bufferBytes`) is sent with the copy, the same bytes (never copied, never changed).
 * A streamed body is not mirrored (`streamed-body`, counted): it flows once, to the primary
 * upstream, and holding or teeing it for a mirror would let the mirror slow the client's request
 * down or hold unbounded memory.
 *
 * The Mirror is itself the undici handler of every copy (it keeps no state per request), so a
 * copy allocates nothing beyond undici's own request and the dispatch options.
 */
export class Mirror implements Dispatcher.DispatchHandler {
  /** Copies in flight now. */
  inFlight = 0;
  /** Copies dispatched. */
  sent = 0;
  /** Copies whose answer came in whole, whatever its status (the gateway ignores it). */
  completed = 0;
  /** Copies that failed: no connection, a broken or timed-out answer, a request undici refused. */
  failed = 0;
  /** Copies dropped because `maxInFlight` were in flight. */
  droppedBusy = 0;
  /** Copies not sent because the request's body was streamed. */
  droppedStreamed = 0;
  private readonly maxInFlight: number;
  private readonly timeoutMs: number;
  private readonly onFailure: ((error: Error) => void) | undefined;
  private readonly h2c: UpstreamDispatcher | undefined;

  constructor(
    private readonly dispatcher: Dispatcher,
    options: MirrorOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MIRRORS_IN_FLIGHT;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_MIRROR_TIMEOUT_MS;
    this.onFailure = options.onFailure;
    this.h2c = options.h2c;
  }

  /**
   * Sends a copy of a request to `origin` (`http://address:port` of the one endpoint of the
   * mirror's backend the caller picked), with probability `fraction` (0 to 1, drawn with
   * `Math.random()`).
   *
   * `path` is the target with its query, `headers` the flat name/value list, as sent to the
   * primary upstream: the copy is the request as forwarded, after the rule's header modifier
   * and URL rewrite, Host included (the spec says nothing of a mirror's Host; Envoy's
   * `-shadow` suffix is Envoy's own). For an ExternalName endpoint pass the list with that
   * endpoint's Host (`upstreamHostFor`). Neither is copied: do not change them afterwards.
   * `body` as for the primary's dispatch: null/undefined, a Buffer (or string) sent whole, or a
   * stream, which is not mirrored. `protocol` is the endpoint's: an h2c endpoint gets its copy
   * over HTTP/2 when the mirror has an `h2c` dispatcher.
   */
  send(fraction: number, origin: string, method: string, path: string, headers: string[], body: Dispatcher.DispatchOptions['body'], protocol: UpstreamProtocol = 'http1'): MirrorResult {
    // `fraction` 1 needs no draw; 0 (or NaN) never passes `<`.
    if (fraction < 1 && !(Math.random() < fraction)) return 'not-sampled';
    if (body !== null && body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
      this.droppedStreamed++;
      return 'streamed-body';
    }
    if (this.inFlight >= this.maxInFlight) {
      this.droppedBusy++;
      return 'busy';
    }
    this.inFlight++;
    this.sent++;
    // A request undici refuses at once comes back through onError, synchronously.
    const dispatcher = protocol === 'h2c' && this.h2c !== undefined ? this.h2c : this.dispatcher;
    dispatcher.dispatch({ origin, path, method: method as Dispatcher.HttpMethod, headers, body: body ?? null, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs }, this);
    return 'sent';
  }

  onConnect(): void {}

  onHeaders(): boolean {
    return true;
  }

  /** The mirror's answer is read (so its connection can be reused) and dropped. */
  onData(): boolean {
    return true;
  }

  onComplete(): void {
    this.inFlight--;
    this.completed++;
  }

  onError(error: Error): void {
    this.inFlight--;
    this.failed++;
    this.onFailure?.(error);
  }
}
