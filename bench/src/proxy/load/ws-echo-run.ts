import WebSocket from 'ws';
import { percentile } from '../../common/stats.js';
import type { LoadOutcome, LoadSpec } from '../protocol.js';

type WsSpec = Extract<LoadSpec, { kind: 'ws' }>;

/**
 * WebSocket echo load: `connections` sockets, each sending one message, waiting for its
 * echo, sending the next, for `durationS` (after the upstream's hello, which proves the
 * socket reached the upstream). Counts echoed messages; an echo that differs from what was
 * sent, or a socket that closes or fails early, is an error.
 */
export async function runWebSocketEcho(spec: WsSpec): Promise<LoadOutcome> {
  const message = Buffer.alloc(spec.messageBytes, 'm');
  // Every round trip, for the percentiles: a few hundred thousand numbers in a long window.
  const samples: number[] = [];
  let completed = 0;
  let errors = 0;
  let bytes = 0;
  let running = true;
  const sockets: WebSocket[] = [];
  let begin!: () => void;
  const start = new Promise<void>((resolve) => (begin = resolve));

  const opened = Array.from({ length: spec.connections }, () => new Promise<void>((resolve) => {
    const ws = new WebSocket(spec.url, { headers: { host: spec.host }, perMessageDeflate: false, rejectUnauthorized: false });
    sockets.push(ws);
    let sentAt = 0;
    let greeted = false;
    const sendNext = () => {
      sentAt = performance.now();
      ws.send(message);
    };
    ws.on('message', (data: Buffer) => {
      if (!greeted) {
        greeted = true;
        resolve();
        return;
      }
      const rtt = performance.now() - sentAt;
      bytes += data.length;
      if (data.length !== message.length) errors++;
      completed++;
      samples.push(rtt);
      if (running) sendNext();
    });
    ws.on('error', () => {
      errors++;
      resolve();
    });
    ws.on('close', () => {
      if (running) errors++;
      resolve();
    });
    // Every socket starts once all are open, so the timed window is all sockets busy.
    start.then(() => {
      if (ws.readyState === WebSocket.OPEN) sendNext();
    }, () => {});
  }));
  await Promise.all(opened);
  const started = performance.now();
  begin();
  await new Promise((resolve) => setTimeout(resolve, spec.durationS * 1000));
  running = false;
  const durationS = (performance.now() - started) / 1000;
  const counted = completed;
  for (const ws of sockets) ws.terminate();
  const sorted = samples.sort((a, b) => a - b);
  return {
    tool: 'ws-client',
    completed: counted,
    durationS,
    latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), p999: percentile(sorted, 99.9) },
    errors,
    timeouts: 0,
    non2xx: 0,
    statusCodes: {},
    bytes,
  };
}
