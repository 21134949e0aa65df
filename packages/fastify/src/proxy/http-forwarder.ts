import type { ServerResponse } from 'node:http';
import type { RoutableEndpoint } from '@switchyard/core';
import type { Dispatcher } from 'undici';
import { answerOnResponse } from './answer.js';
import { DeferredBody } from './deferred-body.js';
import type { Exchange } from './exchange.js';
import { forwardHeaderList, upstreamHostFor } from './forward-headers.js';
import { CLIENT_CLOSED_REQUEST } from './request-outcome.js';
import { hasRequestBody } from './retry-policy.js';
import { ATTEMPT_OF_RESPONSE, UpstreamAttempt, type AttemptOwner, type AttemptResponse } from './upstream-attempt.js';
import { classifyUpstreamError } from './upstream-errors.js';

/**
 * Forwards HTTP requests on an undici Agent: one `UpstreamAttempt` per endpoint tried, the
 * response written straight onto the client's; when an attempt fails before any response byte,
 * the exchange's retry policy may pick another endpoint, else the client gets 502/504; a failure
 * after the head was sent cuts the response.
 */
export class HttpForwarder implements AttemptOwner {
  /** Set when the app starts closing: responses from then on carry `Connection: close`. */
  closing = false;

  constructor(
    private readonly agent: Dispatcher,
    private readonly trustForwarded: boolean,
  ) {}

  /** Takes the client's response (hijacked from Fastify) and sends the first attempt. */
  start(exchange: Exchange, res: ServerResponse, endpoint: RoutableEndpoint): void {
    exchange.res = res;
    // on, not once: 'close' comes once anyway, and once() wraps the listener per call.
    res.on('close', onResponseClose);
    this.send(exchange, endpoint);
  }

  attemptSettled(attempt: UpstreamAttempt, error: Error | undefined): void {
    const exchange = attempt.exchange;
    const endpoint = attempt.endpoint;
    if (attempt.statusCode !== 0) {
      exchange.statusCode = attempt.statusCode;
      exchange.observer?.upstreamLatency((attempt.answeredAt - attempt.sentAt) / 1000);
    }
    if (error === undefined) return exchange.attemptEnded(endpoint, attempt.statusCode >= 500 ? 'failure' : 'success');

    const failure = classifyUpstreamError(error);
    const res = exchange.res!;
    // A request undici refused to send, or one the client abandoned, says nothing about the endpoint.
    exchange.attemptEnded(endpoint, failure.upstreamFault && !res.destroyed ? 'failure' : 'success');
    exchange.errorReason = failure.reason;
    if (res.destroyed) return;
    if (attempt.responded) {
      // The status line is out: all that is left is to cut the response, so the client sees it broke.
      exchange.cut = true;
      res.destroy();
      return;
    }
    const next = exchange.retryAfter(endpoint, failure);
    if (next !== undefined) return this.send(exchange, next);
    const what = failure.statusCode === 504 ? 'timed out' : 'failed';
    exchange.errorCode = failure.code;
    exchange.statusCode = failure.statusCode;
    answerOnResponse(res, failure.statusCode, failure.code, `upstream ${endpoint.key} of ${exchange.route!.backendKey} ${what} (${failure.reason})`, exchange.requestId, this.closing);
  }

  private send(exchange: Exchange, endpoint: RoutableEndpoint): void {
    const raw = exchange.request.raw;
    const res = exchange.res as AttemptResponse;
    exchange.attemptStarted(endpoint);
    const attempt = new UpstreamAttempt(this, exchange, endpoint, res, exchange.requestId, performance.now());
    res[ATTEMPT_OF_RESPONSE] = attempt;
    const headers = forwardHeaderList(raw, upstreamHostFor(endpoint, exchange.clientHost), exchange.clientHost, exchange.requestId, this.trustForwarded);
    // Each attempt gets its own wrapper over the client's body, so a failed connection leaves
    // the body unread and another endpoint can be tried with it.
    this.agent.dispatch(
      {
        origin: endpoint.origin,
        path: exchange.path + exchange.query,
        method: raw.method as Dispatcher.HttpMethod,
        headers,
        body: hasRequestBody(raw) ? new DeferredBody(raw) : null,
      },
      attempt,
    );
  }
}

// Shared by all responses (no closure per request): `this` is the response.
function onResponseClose(this: AttemptResponse): void {
  const attempt = this[ATTEMPT_OF_RESPONSE];
  if (attempt === undefined) return;
  // Cleared, not deleted: deleting a property that is not the last one added turns the
  // response into a dictionary-mode object (measured: about 1 µs per request in V8's runtime).
  this[ATTEMPT_OF_RESPONSE] = undefined;
  attempt.abort();
  const exchange = attempt.exchange;
  // A response that did not finish and was not cut by us: the client left first (nginx's 499).
  const clientLeft = !this.writableFinished && !exchange.cut;
  exchange.finish(clientLeft ? CLIENT_CLOSED_REQUEST : exchange.statusCode || this.statusCode);
}
