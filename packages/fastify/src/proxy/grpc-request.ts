import type { IncomingRequest } from './incoming-request.js';

/**
 * Whether a request is a gRPC call: `content-type` is `application/grpc`, alone or followed by
 * `+format` or parameters (the gRPC over HTTP/2 spec). gRPC-Web (`application/grpc-web*`) is
 * not: its status travels in the body, and it is proxied as plain HTTP.
 */
export function isGrpcRequest(raw: IncomingRequest): boolean {
  const type = raw.headers['content-type'];
  if (type === undefined || type.length < 16 || !type.startsWith('application/grpc')) return false;
  if (type.length === 16) return true;
  const next = type.charCodeAt(16);
  return next === 0x2b /* + */ || next === 0x3b /* ; */;
}

/** The longest deadline honoured, in ms: what a timer can hold (about 24.8 days). */
export const MAX_GRPC_TIMEOUT_MS = 2 ** 31 - 1;

const UNIT_MS: Readonly<Record<string, number>> = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 1e-3, n: 1e-6 };

/**
 * The `grpc-timeout` header in ms (the spec's `TimeoutValue TimeoutUnit`: 1 to 8 ASCII digits,
 * then `H`, `M`, `S`, `m`, `u` or `n`), rounded up to whole ms so a deadline never shortens to
 * nothing, and clamped to `MAX_GRPC_TIMEOUT_MS`. Undefined when absent or malformed (the call
 * then has no deadline of its own, as gRPC servers treat a bad header).
 */
export function grpcTimeoutMs(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string' || value.length < 2 || value.length > 9) return undefined;
  const unit = UNIT_MS[value[value.length - 1]!];
  if (unit === undefined) return undefined;
  let amount = 0;
  for (let i = 0; i < value.length - 1; i++) {
    const digit = value.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    amount = amount * 10 + digit;
  }
  return Math.min(MAX_GRPC_TIMEOUT_MS, Math.ceil(amount * unit));
}

/**
 * The `grpc-status` in a flat name/value list (an upstream's trailers, or the head of a
 * trailers-only answer), for the metrics and the log line; undefined when there is none or it
 * is not a number.
 */
export function grpcStatusIn(list: readonly (Buffer | string)[]): number | undefined {
  for (let i = 0; i + 1 < list.length; i += 2) {
    const name = list[i]!;
    if (name.length !== 11 || name.toString().toLowerCase() !== 'grpc-status') continue;
    const value = Number(list[i + 1]!.toString());
    return Number.isInteger(value) ? value : undefined;
  }
  return undefined;
}
