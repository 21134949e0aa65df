import type { Readable } from 'node:stream';
import { clientAborted, DeferredBody, type StreamedBodySource } from './deferred-body.js';
import type { Exchange, ExchangeBody } from './exchange.js';
import type { UploadSlots } from './upload-slots.js';

/** Hears what a `ClientBody` has to say: `bodyReady` once, `bodyStalled` at most once. */
export interface ClientBodyOwner {
  /** The body can be sent: all of it is buffered (`complete`), or its first bytes are and the rest is to be streamed. */
  bodyReady(body: ClientBody): void;
  /** No byte of the body came for the idle timeout while the proxy was waiting for one. */
  bodyStalled(body: ClientBody): void;
}

const BODY_OF_SOURCE = Symbol('switchyard.clientBody');
/** Node's IncomingMessage (which has `complete`), or an HTTP/2 stream (`bodySourceOf`). */
type BodySource = Readable & { readonly complete?: boolean; [BODY_OF_SOURCE]?: ClientBody };

/**
 * The client's request body on its way through the proxy. It is read before any upstream
 * connection is taken, up to `bufferBytes`: a body that ends within that is sent whole (and can
 * be replayed on another endpoint); a longer one is streamed from there, each attempt through a
 * `DeferredBody`, holding one of its endpoint's upload slots until its last byte arrived. While
 * the proxy waits for a byte (not while it holds the client back for backpressure) an idle timer
 * runs; when it expires the owner hears `bodyStalled`.
 *
 * The listeners are shared functions (`this` is the client's stream), so a body costs this
 * object and one timer, no closures.
 */
export class ClientBody implements ExchangeBody, StreamedBodySource {
  /** Read from the client and not yet handed to a reader. */
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  /** The client sent its last byte. */
  complete = false;
  /** Read whole before any attempt: sent as one buffer. */
  private whole: Buffer | undefined = undefined;
  /** The reader of the current streamed attempt. */
  private reader: DeferredBody | undefined = undefined;
  /** The proxy stopped reading (handed over, or backpressure): silence is then not the client's. */
  private paused = false;
  /** Handed to the owner (`bodyReady` was called). */
  private handedOver = false;
  /** The origin whose upload slot this body holds while it streams. */
  private slotOrigin: string | undefined = undefined;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    readonly exchange: Exchange,
    private readonly source: Readable,
    private readonly owner: ClientBodyOwner,
    private readonly slots: UploadSlots,
    private readonly bufferBytes: number,
    /** 0: no idle timer (a gRPC stream may be quiet as long as its deadline allows). */
    idleMs: number,
  ) {
    (source as BodySource)[BODY_OF_SOURCE] = this;
    this.timer = idleMs === 0 ? undefined : setTimeout(onIdle, idleMs, this);
  }

  /** Starts reading (or, with no buffer, hands the body over at once to be streamed). */
  start(): void {
    const source = this.source;
    if (this.bufferBytes === 0) {
      // Streamed from the first byte: nothing is read until an upstream asks for it.
      this.pause();
    }
    source.on('data', onData);
    source.once('end', onEnd);
    source.once('error', onError);
    source.once('close', onClose);
    if (this.bufferBytes === 0) this.handOver();
  }

  /** The whole body when it was read before the first attempt (undefined when it streams). */
  get buffered(): Buffer | undefined {
    return this.whole;
  }

  /** Another attempt may be sent with this body: it was buffered whole, or no streamed byte reached an upstream yet. */
  get replayable(): boolean {
    return this.reader === undefined || !this.reader.started;
  }

  /**
   * The body for one upstream attempt on `origin`: the buffered bytes, or a new streaming reader
   * holding an upload slot on `origin`; undefined when every upload slot of `origin` is taken.
   */
  forAttempt(origin: string, takesSlot = true): Buffer | DeferredBody | undefined {
    if (this.whole !== undefined) return this.whole;
    // A body that is complete holds no upload slot: nothing of it is left to wait for. An
    // HTTP/2 stream takes none either: it ties up no connection other requests need.
    if (!takesSlot) this.releaseSlot();
    else if (!this.complete && this.slotOrigin !== origin) {
      if (!this.slots.take(origin)) return undefined;
      this.releaseSlot();
      this.slotOrigin = origin;
    }
    this.reader = new DeferredBody(this);
    return this.reader;
  }

  streamInto(reader: DeferredBody): void {
    if (reader !== this.reader) return;
    for (const chunk of this.chunks) reader.push(chunk);
    this.chunks.length = 0;
    if (this.complete) {
      reader.push(null);
      return;
    }
    this.resumeReading();
  }

  resumeReading(): void {
    if (!this.paused) return;
    this.paused = false;
    this.timer?.refresh();
    this.source.resume();
  }

  streamEnded(reader: DeferredBody): void {
    // A reader that started and then failed leaves the client's stream half-read: nothing more
    // is read from it (Node closes it with the connection).
    if (reader === this.reader && reader.started && !this.complete) this.pause();
  }

  /** The exchange ended: stop the timer and the listeners, give back the upload slot. */
  close(): void {
    clearTimeout(this.timer);
    const source = this.source;
    source.off('data', onData);
    source.off('end', onEnd);
    source.off('error', onError);
    source.off('close', onClose);
    this.releaseSlot();
  }

  /** A chunk from the client. */
  received(chunk: Buffer): void {
    this.timer?.refresh();
    const reader = this.reader;
    if (reader !== undefined && reader.started) {
      this.exchange.attempt?.bodySent();
      if (!reader.push(chunk)) this.pause();
      return;
    }
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (!this.handedOver && this.bytes > this.bufferBytes) {
      // Too long to hold: stream it, and read no more until an upstream asks.
      this.pause();
      this.handOver();
    }
  }

  /** The client's last byte came. */
  ended(): void {
    this.complete = true;
    clearTimeout(this.timer);
    this.releaseSlot();
    const reader = this.reader;
    if (reader !== undefined && reader.started) {
      this.exchange.attempt?.bodySent();
      reader.push(null);
      return;
    }
    if (this.handedOver) return;
    this.whole = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bytes);
    this.chunks.length = 0;
    this.handOver();
  }

  /** The client's stream failed or closed before its end. */
  broke(error: Error | undefined): void {
    clearTimeout(this.timer);
    const reader = this.reader;
    if (reader !== undefined && reader.started) reader.destroy(clientAborted(error));
  }

  /** The idle timer expired. */
  idle(): void {
    // Held back by the proxy, not silent: wait again.
    if (this.paused) return void this.timer?.refresh();
    this.owner.bodyStalled(this);
  }

  private pause(): void {
    this.paused = true;
    this.source.pause();
  }

  private handOver(): void {
    this.handedOver = true;
    this.owner.bodyReady(this);
  }

  private releaseSlot(): void {
    if (this.slotOrigin === undefined) return;
    this.slots.release(this.slotOrigin);
    this.slotOrigin = undefined;
  }
}

// Shared by every body: `this` is the client's stream.
function onData(this: BodySource, chunk: Buffer): void {
  this[BODY_OF_SOURCE]!.received(chunk);
}

function onEnd(this: BodySource): void {
  this[BODY_OF_SOURCE]!.ended();
}

function onError(this: BodySource, error: Error): void {
  this[BODY_OF_SOURCE]!.broke(error);
}

function onClose(this: BodySource): void {
  // A stream has no `complete`: it is complete once its readable side ended.
  if (!(this.complete ?? this.readableEnded)) this[BODY_OF_SOURCE]!.broke(undefined);
}

function onIdle(body: ClientBody): void {
  body.idle();
}
