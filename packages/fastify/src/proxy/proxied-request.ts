import type { Route } from '@switchyard/core';

/**
 * What the proxy matched for a request: on `request.switchyard` from the proxy's onRequest
 * hook on, so the app's own preHandler hooks (auth, rate limits) can decide by route.
 */
export interface ProxiedRequest {
  /** The matched route; undefined when the request was answered 400/404 or redirected. */
  readonly route: Route | undefined;
  /** The normalized Host that was matched. */
  readonly host: string;
  /** The normalized path that was matched and is forwarded. */
  readonly path: string;
  /** The X-Request-Id sent upstream and back to the client. */
  readonly requestId: string;
}
