import { Readable } from 'node:stream';

/** Where a `DeferredBody` gets its bytes from (`ClientBody`). */
export interface StreamedBodySource {
  /** The reader's first read: push what was read already, then the rest as it comes. */
  streamInto(reader: DeferredBody): void;
  /** The reader wants more after backpressure. */
  resumeReading(): void;
  /** The reader was destroyed (by undici, when the attempt ended). */
  streamEnded(reader: DeferredBody): void;
}

/**
 * The client's request body as handed to one upstream attempt when it is streamed: reads
 * nothing until the upstream connection asks for it, and when an attempt fails before that
 * (undici destroys the body it was given) the client's body is left untouched, so another
 * endpoint can be tried with a fresh wrapper. The bytes come from the `ClientBody`: first what
 * it had read already, then the rest as the client sends it.
 */
export class DeferredBody extends Readable {
  /** True once the upstream asked for a byte: from then on the body cannot be replayed. */
  started = false;

  constructor(private readonly body: StreamedBodySource) {
    super();
  }

  override _read(): void {
    if (!this.started) {
      this.started = true;
      this.body.streamInto(this);
      return;
    }
    this.body.resumeReading();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.body.streamEnded(this);
    callback(error);
  }
}

/** The code of a request body the client stopped sending: the client's doing, never the upstream's. */
export const CLIENT_ABORTED = 'SWY_CLIENT_ABORTED';

/** The error a streamed body ends with when the client goes away before its last byte. */
export function clientAborted(cause: Error | undefined): Error {
  return Object.assign(new Error('the client closed the connection before its request body ended', cause ? { cause } : undefined), { code: CLIENT_ABORTED });
}
