import type { GatewaySpecRequest } from '@switchyard/test-utils';

/** `GET host:port/path?query {"header":"value"}`: a spec request as test titles name it. */
export function requestLabel(request: GatewaySpecRequest): string {
  return `${request.method ?? 'GET'} ${request.host}:${request.port}${request.path}${request.query ? `?${request.query}` : ''}${request.headers ? ` ${JSON.stringify(request.headers)}` : ''}`;
}
