import type { GatewaySpecRequest } from '@switchyard/test-utils';

/**
 * Requests of the Gateway API spec cases answered by a RegularExpression match, which compile
 * refuses until the linear-time engine lands (core's compiled-vs-spec-cases test fails on the
 * same two): the CLI tests expect them to fail, so the mark goes when the engine comes.
 */
export const WAITING_FOR_REGEX: ReadonlySet<string> = new Set(['GET h.test:80/h {"x-version":"v12"}', 'GET q.test:80/q?id=42']);

/** `GET host:port/path?query {"header":"value"}`: a spec request as test titles and `WAITING_FOR_REGEX` name it. */
export function requestLabel(request: GatewaySpecRequest): string {
  return `${request.method ?? 'GET'} ${request.host}:${request.port}${request.path}${request.query ? `?${request.query}` : ''}${request.headers ? ` ${JSON.stringify(request.headers)}` : ''}`;
}
