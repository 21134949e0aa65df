import type { AnswerKey } from './answer-key.js';
import type { CoreUnderTest } from './core-under-test.js';
import { gatewayRequestOf } from './gateway-requests.js';
import type { BenchRequest, RequestSample } from './requests.js';
import { hostFor, SUBJECTS, type Built, type Subject } from './subjects.js';
import type { GatewayWorkload } from './gateway-workload.js';
import type { Workload } from './workload.js';

/** One request a subject answered differently from the reference matcher. */
export interface Mismatch {
  readonly subject: string;
  readonly request: BenchRequest;
  readonly actual: AnswerKey;
}

const MAX_REPORTED = 20;

/**
 * Asks a built subject every request and compares with the reference answer recorded in
 * the sample. The workers run this on the very table they are about to time.
 */
export function checkSubject(subject: Subject, built: Built, requests: readonly BenchRequest[]): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (const request of requests) {
    const actual = built.answer(hostFor(subject, request), request.path, subject.table === 'gateway' ? gatewayRequestOf(request) : undefined);
    if (actual !== request.expected) {
      mismatches.push({ subject: subject.label, request, actual });
      if (mismatches.length === MAX_REPORTED) break;
    }
  }
  return mismatches;
}

/** Builds every Ingress subject in this process with `core` and checks the whole sample (the test's entry point). */
export function checkWorkload(core: CoreUnderTest, workload: Workload, sample: RequestSample, subjects: readonly Subject[] = SUBJECTS.filter((s) => s.table === 'ingress')): Mismatch[] {
  const requests = [...sample.hits, ...sample.misses];
  return subjects.flatMap((subject) => checkSubject(subject, subject.build(core, { ingresses: workload.ingresses }), requests));
}

/** Builds every Gateway API subject in this process with `core` and checks the whole sample (the test's entry point). */
export function checkGatewayWorkload(core: CoreUnderTest, workload: GatewayWorkload, sample: RequestSample, subjects: readonly Subject[] = SUBJECTS.filter((s) => s.table === 'gateway')): Mismatch[] {
  const requests = [...sample.hits, ...sample.misses];
  return subjects.flatMap((subject) => checkSubject(subject, subject.build(core, { ingresses: [], gateways: [workload.gateway], httpRoutes: workload.httpRoutes }), requests));
}

export function describeMismatch(mismatch: Mismatch): string {
  const { request } = mismatch;
  return [
    `${mismatch.subject}: host ${JSON.stringify(request.host)}, path ${JSON.stringify(request.path)}` +
      (request.method === undefined ? '' : `, ${request.method}, headers ${JSON.stringify(request.headers ?? {})}`) +
      ` (${request.category}, router key ${JSON.stringify(request.routerKey)})`,
    `  expected (reference): ${request.expected || 'no route'}`,
    `  actual:               ${mismatch.actual || 'no route'}`,
  ].join('\n');
}
