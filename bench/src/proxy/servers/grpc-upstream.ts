/**
 * The gRPC upstream of the `grpc` scenario: a grpc-js server (h2c) with the echo service's one
 * unary method, answering every call with the bytes it was sent and the run's token as a
 * trailer (see grpc-echo.ts). Pinned as the upstream; announces `http://127.0.0.1:port`.
 */
import * as grpc from '@grpc/grpc-js';
import { ECHO_DEFINITION, ECHO_TOKEN_TRAILER } from '../grpc-echo.js';
import { announce, failed, LOOPBACK, readConfig, stopOn } from './server-process.js';
import type { NodeUpstreamConfig } from './upstream-contract.js';

const { token } = readConfig<NodeUpstreamConfig>();

// One trailer object for every call: grpc-js only reads it, so nothing is made per call.
const trailer = new grpc.Metadata();
trailer.set(ECHO_TOKEN_TRAILER, token);

function unary(call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>): void {
  done(null, call.request, trailer);
}

const server = new grpc.Server();
server.addService(ECHO_DEFINITION, { unary });
server.bindAsync(`${LOOPBACK}:0`, grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) failed(error);
  else announce({ url: `http://${LOOPBACK}:${port}` });
});
stopOn(() => new Promise<void>((resolve) => server.tryShutdown(() => resolve())));
