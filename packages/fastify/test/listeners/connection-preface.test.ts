import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { HTTP2_PREFACE, PrefaceSniffer } from '../../src/listeners/connection-preface.js';

// The preface sniffer on real loopback sockets: which side gets each connection, with which
// bytes, and what happens to one that says too little.

let server: Server | undefined;
afterEach(async () => {
  if (server !== undefined) await new Promise((resolve) => server!.close(resolve));
  server = undefined;
});

/** A listener whose connections go through a sniffer; each handed-over socket reports its side and the bytes it then reads. */
async function sniffing(waitMs: number) {
  const handed: Array<{ side: 'http1' | 'http2'; bytes: Promise<Buffer> }> = [];
  const readAll = (socket: Socket) =>
    new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', () => resolve(Buffer.concat(chunks)));
      socket.resume();
    });
  const sniffer = new PrefaceSniffer(
    {
      http1: (socket) => void handed.push({ side: 'http1', bytes: readAll(socket) }),
      http2: (socket) => void handed.push({ side: 'http2', bytes: readAll(socket) }),
    },
    () => waitMs,
  );
  server = createServer(sniffer.accept);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { sniffer, handed, port: (server.address() as AddressInfo).port };
}

async function sendInPieces(port: number, pieces: readonly Buffer[]): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  for (const piece of pieces) {
    socket.write(piece);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return socket;
}

test('the HTTP/2 preface, sent a byte at a time, goes to the HTTP/2 side with every byte put back', async () => {
  const { handed, port } = await sniffing(5_000);
  const frames = Buffer.concat([HTTP2_PREFACE, Buffer.from('frames')]);
  const socket = await sendInPieces(port, [...frames.subarray(0, 10)].map((byte) => Buffer.from([byte])).concat([frames.subarray(10)]));
  socket.end();
  await expect.poll(() => handed.length).toBe(1);
  expect(handed[0]!.side).toBe('http2');
  expect(await handed[0]!.bytes).toEqual(frames);
});

test('an HTTP/1.1 request line goes to the HTTP/1.1 side as soon as it stops matching the preface', async () => {
  const { handed, port } = await sniffing(5_000);
  const socket = await sendInPieces(port, [Buffer.from('P'), Buffer.from('OST / HTTP/1.1\r\nHost: a\r\n\r\n')]);
  socket.end();
  await expect.poll(() => handed.length).toBe(1);
  expect(handed[0]!.side).toBe('http1');
  expect((await handed[0]!.bytes).toString('latin1')).toBe('POST / HTTP/1.1\r\nHost: a\r\n\r\n');
});

test('a connection that sends too little to tell within the wait is closed, handed to neither side', async () => {
  const { sniffer, handed, port } = await sniffing(200);
  const silent = await sendInPieces(port, []);
  const partial = await sendInPieces(port, [HTTP2_PREFACE.subarray(0, 5)]);
  await expect.poll(() => sniffer.pending).toBe(2);
  await Promise.all([once(silent, 'close'), once(partial, 'close')]);
  expect(handed).toEqual([]);
  expect(sniffer.pending).toBe(0);
});

test('closeAll closes the undecided connections (the listener is closing and they carry no request)', async () => {
  const { sniffer, handed, port } = await sniffing(60_000);
  const undecided = await sendInPieces(port, [Buffer.from('PRI * ')]);
  await expect.poll(() => sniffer.pending).toBe(1);
  sniffer.closeAll();
  await once(undecided, 'close');
  expect(handed).toEqual([]);
});
