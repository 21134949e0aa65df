import type { Socket } from 'node:net';

/** What every HTTP/2 connection starts with (RFC 9113 §3.4); no HTTP/1.1 request line does. */
export const HTTP2_PREFACE: Buffer = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** Where `PrefaceSniffer` hands a connection once it knows its protocol. */
export interface PrefaceTargets {
  http1(socket: Socket): void;
  http2(socket: Socket): void;
}

/**
 * Tells an HTTP/1.1 connection from an h2c one (prior knowledge) on a plain port by its first
 * bytes: reads until they are the whole HTTP/2 preface or stop being a prefix of it (an
 * HTTP/1.1 request line differs from it by its second byte at the latest), puts them back
 * (`unshift`) and hands the socket over. A connection that sends too little to tell within
 * `waitMs` (the HTTP/1.1 server's `headersTimeout`: the same time it gives a request head) is
 * closed; so is every undecided one when the listener closes (`closeAll`), since it has no
 * request in flight.
 *
 * Per connection, not per request: a few listeners and at most one small buffer each.
 */
export class PrefaceSniffer {
  private readonly waiting = new Set<Socket>();

  constructor(
    private readonly targets: PrefaceTargets,
    private readonly waitMs: () => number,
  ) {}

  /** The listener's `connection` handler. */
  readonly accept = (socket: Socket): void => {
    new PendingConnection(this, socket, this.waitMs());
  };

  /** Connections still undecided. */
  get pending(): number {
    return this.waiting.size;
  }

  /** Closes every undecided connection. */
  closeAll(): void {
    for (const socket of this.waiting) socket.destroy();
  }

  /** @internal */
  started(socket: Socket): void {
    this.waiting.add(socket);
  }

  /** @internal */
  ended(socket: Socket, protocol: 'http1' | 'http2' | undefined): void {
    this.waiting.delete(socket);
    if (protocol === 'http1') this.targets.http1(socket);
    else if (protocol === 'http2') this.targets.http2(socket);
  }
}

class PendingConnection {
  private received: Buffer | undefined = undefined;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sniffer: PrefaceSniffer,
    private readonly socket: Socket,
    waitMs: number,
  ) {
    sniffer.started(socket);
    socket.on('data', this.onData);
    socket.on('error', this.onGone);
    socket.on('close', this.onGone);
    this.timer = waitMs > 0 ? setTimeout(this.onTimeout, waitMs) : undefined;
  }

  private readonly onData = (chunk: Buffer): void => {
    const received = this.received === undefined ? chunk : Buffer.concat([this.received, chunk]);
    this.received = received;
    const compared = Math.min(received.length, HTTP2_PREFACE.length);
    if (received.compare(HTTP2_PREFACE, 0, compared, 0, compared) !== 0) this.handOver('http1');
    else if (received.length >= HTTP2_PREFACE.length) this.handOver('http2');
  };

  // Before a decision an error or close only ends the wait; the socket is destroyed either way.
  private readonly onGone = (): void => {
    this.stop();
    this.socket.destroy();
    this.sniffer.ended(this.socket, undefined);
  };

  private readonly onTimeout = (): void => {
    this.onGone();
  };

  private handOver(protocol: 'http1' | 'http2'): void {
    this.stop();
    const socket = this.socket;
    socket.pause();
    socket.unshift(this.received!);
    this.received = undefined;
    this.sniffer.ended(socket, protocol);
  }

  private stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    const socket = this.socket;
    socket.off('data', this.onData);
    socket.off('error', this.onGone);
    socket.off('close', this.onGone);
  }
}
