import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

/** A port on which a connect hangs: the SYN is neither answered nor refused. */
export interface StalledListener {
  readonly port: number;
  close(): Promise<void>;
}

/** The listening side of the port never calls accept(): a worker listens, then blocks its own event loop. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createServer } = require('node:net');
const server = createServer().listen({ port: 0, host: '127.0.0.1', backlog: workerData.backlog }, () => {
  parentPort.postMessage(server.address().port);
  // Once blocked, libuv never polls the listening socket again, so no connection is accepted.
  setImmediate(() => {
    Atomics.wait(workerData.gate, 0, 0);
    server.close();
  });
});
`;

/** The backlog asked for; Linux queues backlog + 1 handshaken connections before it drops SYNs. */
const BACKLOG = 1;

/**
 * A listening socket whose accept queue is full, so a new connect hangs until its own timeout:
 * how a connect timeout is staged on one machine. (An unroutable address such as 10.255.255.1
 * is no use here: this VM's network answers every outbound connect at once.) The listener lives
 * in a worker thread whose event loop is blocked, and the queue is filled with connections of
 * our own. Linux only: it drops a SYN when the accept queue is full.
 */
export async function startStalledListener(): Promise<StalledListener> {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { gate, backlog: BACKLOG } });
  const [port] = (await once(worker, 'message')) as [number];
  const fillers: Socket[] = [];
  const close = async (): Promise<void> => {
    for (const socket of fillers) socket.destroy();
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    await worker.terminate();
  };
  try {
    for (let i = 0; i <= BACKLOG; i++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      fillers.push(socket);
      await once(socket, 'connect');
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { port, close };
}
