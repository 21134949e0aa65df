import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { FastifyErrorCode } from '../errors.js';
import type { ClientResponse } from './client-response.js';

/** The header that names the code of an answer the gateway gave by itself. */
export const ERROR_HEADER = 'x-switchyard-error';

/** The body of every answer of the gateway's own: status, reason and code in one line. */
function answerBody(statusCode: number, code: string, reason: string): string {
  return `${statusCode} ${STATUS_CODES[statusCode] ?? ''}: ${reason} (${code})\n`;
}

/**
 * Answers a request without the upstream: a short plain-text body naming the status and the
 * reason, and the code in `x-switchyard-error`. Never an internal error or stack.
 */
export function answer(reply: FastifyReply, statusCode: number, code: FastifyErrorCode, reason: string): void {
  reply
    .code(statusCode)
    .header(ERROR_HEADER, code)
    .header('content-type', 'text/plain; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(answerBody(statusCode, code, reason));
}

/** The same answer on a response the proxy owns (hijacked from Fastify), before any byte of it was sent. */
export function answerOnResponse(res: ClientResponse, statusCode: number, code: FastifyErrorCode, reason: string, requestId: string, close: boolean): void {
  const body = answerBody(statusCode, code, reason);
  const head = [ERROR_HEADER, code, 'content-type', 'text/plain; charset=utf-8', 'cache-control', 'no-store', 'content-length', String(Buffer.byteLength(body)), 'x-request-id', requestId];
  if (close) head.push('connection', 'close');
  res.writeHead(statusCode, head);
  res.end(body);
}

/** The same answer written straight onto a socket, for upgrade requests Fastify never sees. */
export function answerOnSocket(socket: NodeJS.WritableStream & { destroy(): void; writable: boolean }, statusCode: number, code: string, reason: string): void {
  if (!socket.writable) return;
  // Closed once written: the connection is in no state to carry another request.
  const body = answerBody(statusCode, code, reason);
  socket.end(
    `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode] ?? ''}\r\n${ERROR_HEADER}: ${code}\r\ncontent-type: text/plain; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

/** A redirect on a response the proxy owns: `Location`, no body (what Fastify's `reply.redirect` sends). */
export function redirectOnResponse(res: ClientResponse, statusCode: number, location: string, requestId: string): void {
  res.writeHead(statusCode, ['location', location, 'content-length', '0', 'x-request-id', requestId]);
  res.end();
}
