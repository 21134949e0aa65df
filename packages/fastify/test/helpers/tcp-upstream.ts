import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A raw TCP upstream on 127.0.0.1:0, for failures an HTTP server cannot stage: connections
 * dropped or reset at a chosen byte. It counts the connections it accepted, which is how
 * tests count the gateway's attempts (each attempt is a new connection: a failed one is
 * never reused).
 */
export interface TcpUpstream {
  readonly name: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  readonly server: Server;
  close(): Promise<void>;
}

/** What a TCP upstream does with each accepted connection. */
export type ConnectionBehaviour = (socket: Socket, upstream: TcpUpstream) => void;

export async function startTcpUpstream(name: string, behaviour: ConnectionBehaviour): Promise<TcpUpstream> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer();
  const upstream: TcpUpstream = {
    name,
    get port() {
      return (server.address() as AddressInfo).port;
    },
    get connections() {
      return connections;
    },
    server,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A reset seen by this side (the gateway gave up) is expected, not a test failure.
    socket.on('error', () => undefined);
    behaviour(socket, upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return upstream;
}

/** The head and body of one HTTP/1.1 request read off a raw socket. */
export interface RawRequest {
  readonly head: string;
  readonly body: Buffer;
}

/**
 * Reads one request: its head up to the blank line, then `Content-Length` body bytes (the
 * gateway always forwards a length or no body, never chunks, for the requests these tests send).
 */
export function readRequest(socket: Socket): Promise<RawRequest> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      const body = buffered.subarray(end + 4);
      if (body.length < length) return;
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve({ head, body: body.subarray(0, length) });
    };
    const onClose = (): void => reject(new Error('the connection closed before a whole request arrived'));
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

/** Accepts, then drops the connection at once, before reading anything. */
export const dropAtOnce: ConnectionBehaviour = (socket) => {
  socket.resetAndDestroy();
};

/** Reads the whole request (head and body), then resets the connection without answering. */
export const resetAfterRequest: ConnectionBehaviour = (socket) => {
  readRequest(socket).then(
    () => socket.resetAndDestroy(),
    () => undefined,
  );
};

/** Reads the request and never answers; the connection stays open until the gateway closes it. */
export const neverAnswer: ConnectionBehaviour = (socket) => {
  readRequest(socket).catch(() => undefined);
};
