/**
 * The load generator's process, pinned to its core: runs autocannon, the WebSocket echo
 * client or the grpc-js unary client when asked, one run at a time, and answers with what it measured.
 */
import type { FromLoad, ToLoad } from '../protocol.js';
import { runAutocannon } from './autocannon-run.js';
import { runGrpcUnary } from './grpc-unary-run.js';
import { runWebSocketEcho } from './ws-echo-run.js';

function send(message: FromLoad): void {
  process.send?.(message);
}

process.on('message', (message: ToLoad) => {
  const { spec } = message;
  const run = spec.kind === 'http' ? runAutocannon(spec) : spec.kind === 'grpc' ? runGrpcUnary(spec) : runWebSocketEcho(spec);
  run.then(
    (outcome) => send({ type: 'result', outcome }),
    (error: unknown) => send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
send({ type: 'ready' });
