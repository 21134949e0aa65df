import { compile, normalizeHost, normalizePath } from '@switchyard/core';
import { referenceMatch } from '@switchyard/test-utils';
import { describe, expect, test } from 'vitest';
import { NO_ROUTE, referenceKey } from '../src/match/answer-key.js';
import { checkSubject, checkWorkload, describeMismatch } from '../src/match/check.js';
import { loadCore } from '../src/match/core-under-test.js';
import { assertValid, createOracle } from '../src/match/oracle.js';
import { assertNormalForm, sampleRequests } from '../src/match/requests.js';
import { SIZES } from '../src/match/sizes.js';
import { SUBJECTS, type Subject } from '../src/match/subjects.js';
import { generateWorkload } from '../src/match/workload.js';

// The benchmark's correctness half, on the sizes small enough for CI: the workload is what
// it claims, the sample is what it claims, and every timed subject agrees with the
// reference matcher. Nothing here is timed.
const core = await loadCore();
describe.each(SIZES.filter((size) => size.paths <= 1_000))('match benchmark, $paths paths over $hosts host(s)', (size) => {
  const workload = generateWorkload(size);
  const oracle = createOracle(workload.ingresses);
  const sample = sampleRequests(workload, oracle, 512);

  test('the workload has the asked number of paths and rule hosts, all valid', () => {
    const rules = workload.ingresses.flatMap((ingress) => ingress.spec?.rules ?? []);
    expect(rules.reduce((sum, rule) => sum + (rule.http?.paths.length ?? 0), 0)).toBe(size.paths);
    expect(new Set(rules.map((rule) => rule.host)).size).toBe(size.hosts);
    const { diagnostics } = compile({ ingresses: workload.ingresses });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(diagnostics.filter((d) => d.code === 'SWY_ROUTE_CONFLICT')).toHaveLength(workload.conflicts);
  });

  test('the same seed makes the same workload', () => {
    expect(generateWorkload(size).fingerprint).toBe(workload.fingerprint);
    expect(generateWorkload(size, workload.seed + 1).fingerprint).not.toBe(workload.fingerprint);
  });

  test('hits are hits and misses are misses, in every category the table allows', () => {
    expect(sample.hits).toHaveLength(512);
    expect(sample.misses).toHaveLength(512);
    expect(sample.hits.every((request) => request.expected !== NO_ROUTE)).toBe(true);
    expect(sample.misses.every((request) => request.expected === NO_ROUTE)).toBe(true);
    const categories = new Set([...sample.hits, ...sample.misses].map((request) => request.category));
    const expected = size.hosts === 1 ? ['exact-host', 'prefix-deeper', 'unknown-host', 'unknown-path'] : ['exact-host', 'prefix-deeper', 'wildcard-host', 'fall-through', 'unknown-host', 'unknown-path'];
    expect([...categories].sort()).toEqual(expected.sort());
    // Already in normal form, as `lookup` is timed on them; a request that is not is refused.
    expect(() => assertNormalForm([...sample.hits, ...sample.misses])).not.toThrow();
    expect(() => assertNormalForm([{ ...sample.hits[0]!, path: `/${sample.hits[0]!.path}` }])).toThrow(/not in normal form/);
  });

  test('the host-filtered oracle answers as the plain reference scan does', () => {
    for (const request of [...sample.hits, ...sample.misses].slice(0, 256)) {
      const plain = referenceKey(referenceMatch(workload.ingresses, normalizeHost(request.host), normalizePath(request.path)));
      expect(oracle(request.host, request.path).key, `${request.host}${request.path}`).toBe(plain);
    }
  });

  test('every subject (both path matchers, lookup, raw find-my-way) agrees with the reference', () => {
    assertValid(workload);
    expect(checkWorkload(core, workload, sample).map(describeMismatch)).toEqual([]);
  });

  test('the check catches a subject that answers wrong', () => {
    const subject: Subject = { ...SUBJECTS[0]!, build: () => ({ call: () => undefined, answer: () => NO_ROUTE }) };
    const mismatches = checkSubject(subject, subject.build(core, { ingresses: workload.ingresses }), sample.hits);
    expect(mismatches.length).toBeGreaterThan(0);
  });
});
