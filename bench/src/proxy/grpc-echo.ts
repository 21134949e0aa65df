/**
 * The gRPC echo service of the `grpc` scenario, shared by the upstream (servers/grpc-upstream),
 * the load (load/grpc-unary-run) and the check: one unary method that answers with the bytes
 * it was sent and a trailer carrying the run's token, so an answer that did not come from this
 * run's upstream, or lost its trailers on the way, is told apart. Messages are raw bytes
 * (identity serializers): no protos, and no encoding cost on either side to blur the proxy's.
 */
import * as grpc from '@grpc/grpc-js';
import { UPSTREAM_TOKEN_HEADER } from './servers/upstream-contract.js';

/** The gRPC service the GRPCRoute routes (its `method.service`). */
export const ECHO_SERVICE = 'bench.Echo';
/** The one method: `/bench.Echo/Unary`. */
export const ECHO_UNARY_PATH = `/${ECHO_SERVICE}/Unary`;
/** Bytes of every request message (the echo is as long). */
export const ECHO_MESSAGE_BYTES = 16;
/** The trailer the upstream sends with every answer: the run's token (the HTTP upstreams' header name). */
export const ECHO_TOKEN_TRAILER = UPSTREAM_TOKEN_HEADER;

const identity = (value: Buffer): Buffer => value;

/** The service definition, for `grpc.Server.addService` and the client constructor. */
export const ECHO_DEFINITION = {
  unary: {
    path: ECHO_UNARY_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
    originalName: 'unary',
  },
} satisfies grpc.ServiceDefinition;

/** A client of the echo service. */
export type EchoClient = grpc.Client & {
  unary(request: Buffer, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, value?: Buffer) => void): grpc.ClientUnaryCall;
};

const EchoClientConstructor = grpc.makeGenericClientConstructor(ECHO_DEFINITION, ECHO_SERVICE) as unknown as new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options?: grpc.ChannelOptions,
) => EchoClient;

/**
 * A client on a channel of its own, to `host:port` in clear (h2c). grpc-js shares one
 * connection among clients of the same target unless told otherwise; with a local subchannel
 * pool each client is one HTTP/2 connection, so N clients load the target over N connections.
 */
export function echoClient(address: string): EchoClient {
  return new EchoClientConstructor(address, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
}

/** `host:port` of an `http://host:port` URL, as grpc-js takes it. */
export function grpcAddress(url: string): string {
  return new URL(url).host;
}

/** The status names by code (`14` is `UNAVAILABLE`), for counting non-OK answers. */
export const GRPC_STATUS_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(grpc.status)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, code]) => [code, name]),
);
