import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

/**
 * The client's request body as handed to one upstream attempt: reads nothing from the client
 * until the upstream connection asks for it, and when an attempt fails (undici destroys the
 * body it was given) the client's stream is left untouched. So an attempt that never got to
 * send a byte can be retried on another endpoint with a fresh wrapper over the same stream.
 */
export class DeferredBody extends Readable {
  /** True once a byte was pulled from the client: from then on the body cannot be replayed. */
  started = false;
  private readonly onData = (chunk: Buffer): void => {
    if (!this.push(chunk)) this.source.pause();
  };
  private readonly onEnd = (): void => {
    this.push(null);
  };
  private readonly onError = (error: Error): void => {
    this.destroy(clientAborted(error));
  };
  private readonly onClose = (): void => {
    // The client went away before the body ended: the upstream request must not end cleanly.
    if (!this.source.complete) this.destroy(clientAborted(undefined));
  };

  constructor(private readonly source: IncomingMessage) {
    super();
  }

  override _read(): void {
    if (this.started) {
      this.source.resume();
      return;
    }
    this.started = true;
    this.source.on('data', this.onData);
    this.source.once('end', this.onEnd);
    this.source.once('error', this.onError);
    this.source.once('close', this.onClose);
    this.source.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.source.off('data', this.onData);
    this.source.off('end', this.onEnd);
    this.source.off('error', this.onError);
    this.source.off('close', this.onClose);
    // A started body is half-sent: the client's stream is of no further use, but it is
    // Node's to close with the connection (a 502 still has to be written on it).
    if (this.started) this.source.pause();
    callback(error);
  }
}

/** The code of a request body the client stopped sending: the client's doing, never the upstream's. */
export const CLIENT_ABORTED = 'SWY_CLIENT_ABORTED';

function clientAborted(cause: Error | undefined): Error {
  return Object.assign(new Error('the client closed the connection before its request body ended', cause ? { cause } : undefined), { code: CLIENT_ABORTED });
}
