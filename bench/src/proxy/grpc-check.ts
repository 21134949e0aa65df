import * as grpc from '@grpc/grpc-js';
import { BenchError, targetSubject } from '../common/errors.js';
import { ECHO_MESSAGE_BYTES, ECHO_TOKEN_TRAILER, echoClient, grpcAddress, GRPC_STATUS_NAMES } from './grpc-echo.js';
import type { CheckTarget } from './check.js';

const CHECK_DEADLINE_MS = 10_000;

/**
 * One unary echo call through the target, before anything is timed: status OK, the echo equal
 * to the message sent (a message made of this run's token, so a stale answer cannot pass), and
 * the run's token in the `x-bench-upstream` trailer, which proves this run's upstream answered
 * and its trailers came back through the proxy.
 *
 * @throws BenchError `SWY_BENCH_WRONG_ANSWER` naming the target (subject) and what differed (field `status`, `echo` or the trailer).
 */
export async function checkGrpcTarget(target: CheckTarget, token: string): Promise<void> {
  const message = Buffer.from(token.repeat(Math.ceil(ECHO_MESSAGE_BYTES / token.length)).slice(0, ECHO_MESSAGE_BYTES));
  const wrong = (field: string, text: string) =>
    new BenchError('SWY_BENCH_WRONG_ANSWER', `${target.id}: gRPC unary echo call: ${text}`, { field, subject: targetSubject(target.id) });
  const client = echoClient(grpcAddress(target.url));
  try {
    const { value, status } = await new Promise<{ value: Buffer | undefined; status: grpc.StatusObject }>((resolve) => {
      let value: Buffer | undefined;
      const call = client.unary(message, new grpc.Metadata(), { deadline: Date.now() + CHECK_DEADLINE_MS }, (_error, answer) => (value = answer));
      // `status` comes after the callback, with the trailers in its metadata.
      call.on('status', (status: grpc.StatusObject) => setImmediate(() => resolve({ value, status })));
    });
    if (status.code !== grpc.status.OK) throw wrong('status', `status is ${GRPC_STATUS_NAMES[status.code] ?? status.code} (${JSON.stringify(status.details)}), expected OK`);
    if (value === undefined || !value.equals(message)) throw wrong('echo', `echo is ${JSON.stringify(value?.toString('utf8') ?? '(none)')}, expected ${JSON.stringify(message.toString('utf8'))}`);
    const seen = status.metadata.get(ECHO_TOKEN_TRAILER);
    if (seen.length !== 1 || seen[0] !== token) throw wrong(ECHO_TOKEN_TRAILER, `trailer ${ECHO_TOKEN_TRAILER} is ${JSON.stringify(seen)}, expected [${JSON.stringify(token)}]`);
  } finally {
    client.close();
  }
}
