import { createBackendBalancer, isSwitchyardError, parseBalancerPolicy, type BalancerPolicy } from '@switchyard/core';
import { describe, expect, test } from 'vitest';
import { thrown } from '@switchyard/test-utils';

describe('parseBalancerPolicy', () => {
  test.each<[unknown, BalancerPolicy]>([
    [{ kind: 'round-robin' }, { kind: 'round-robin' }],
    [{ kind: 'least-request' }, { kind: 'least-request', choices: 2 }],
    [{ kind: 'least-request', choices: 3 }, { kind: 'least-request', choices: 3 }],
    [{ kind: 'consistent-hash', on: { header: 'X-User-ID' } }, { kind: 'consistent-hash', on: { header: 'x-user-id' } }],
    [{ kind: 'consistent-hash', on: { cookie: 'Session_ID' } }, { kind: 'consistent-hash', on: { cookie: 'Session_ID' } }],
    [{ kind: 'consistent-hash', on: { clientAddress: true } }, { kind: 'consistent-hash', on: { clientAddress: true } }],
  ])('%j is read as %j, frozen', (input, expected) => {
    const policy = parseBalancerPolicy(input, 'backends.api.balancer');
    expect(policy).toEqual(expected);
    expect(Object.isFrozen(policy)).toBe(true);
    if (policy.kind === 'consistent-hash') expect(Object.isFrozen(policy.on)).toBe(true);
  });

  test.each<[string, unknown, string]>([
    ['no object', 'round-robin', 'spec.balancer'],
    ['null', null, 'spec.balancer'],
    ['an array', [{ kind: 'round-robin' }], 'spec.balancer'],
    ['no kind', {}, 'spec.balancer.kind'],
    ['an unknown kind', { kind: 'random' }, 'spec.balancer.kind'],
    ['a kind in another case', { kind: 'Round-Robin' }, 'spec.balancer.kind'],
    ['an unknown field', { kind: 'round-robin', weights: [1] }, 'spec.balancer.weights'],
    ['a field of another kind', { kind: 'round-robin', choices: 2 }, 'spec.balancer.choices'],
    ['choices misspelt', { kind: 'least-request', choice: 2 }, 'spec.balancer.choice'],
    ['choices 1', { kind: 'least-request', choices: 1 }, 'spec.balancer.choices'],
    ['choices fractional', { kind: 'least-request', choices: 2.5 }, 'spec.balancer.choices'],
    ['choices too many', { kind: 'least-request', choices: 17 }, 'spec.balancer.choices'],
    ['choices a string', { kind: 'least-request', choices: '2' }, 'spec.balancer.choices'],
    ['no on', { kind: 'consistent-hash' }, 'spec.balancer.on'],
    ['on a string', { kind: 'consistent-hash', on: 'x-user' }, 'spec.balancer.on'],
    ['on empty', { kind: 'consistent-hash', on: {} }, 'spec.balancer.on'],
    ['on with two sources', { kind: 'consistent-hash', on: { header: 'x-user', cookie: 'session' } }, 'spec.balancer.on'],
    ['on with an unknown source', { kind: 'consistent-hash', on: { query: 'user' } }, 'spec.balancer.on.query'],
    ['an empty header', { kind: 'consistent-hash', on: { header: '' } }, 'spec.balancer.on.header'],
    ['a header with a space', { kind: 'consistent-hash', on: { header: 'x user' } }, 'spec.balancer.on.header'],
    ['a header with a colon', { kind: 'consistent-hash', on: { header: 'x-user:' } }, 'spec.balancer.on.header'],
    ['a header that is no string', { kind: 'consistent-hash', on: { header: 42 } }, 'spec.balancer.on.header'],
    ['a cookie with =', { kind: 'consistent-hash', on: { cookie: 'a=b' } }, 'spec.balancer.on.cookie'],
    ['a cookie with ;', { kind: 'consistent-hash', on: { cookie: 'a;' } }, 'spec.balancer.on.cookie'],
    ['clientAddress false', { kind: 'consistent-hash', on: { clientAddress: false } }, 'spec.balancer.on.clientAddress'],
    ['clientAddress "true"', { kind: 'consistent-hash', on: { clientAddress: 'true' } }, 'spec.balancer.on.clientAddress'],
  ])('%s throws SWY_BALANCER_INVALID_POLICY at %s', (_what, input, field) => {
    const error = thrown(() => parseBalancerPolicy(input, 'spec.balancer'));
    expect(isSwitchyardError(error, 'SWY_BALANCER_INVALID_POLICY')).toBe(true);
    expect(error).toMatchObject({ field });
  });

  test('an empty field prefix names fields bare', () => {
    expect(thrown(() => parseBalancerPolicy({ kind: 'x' }, ''))).toMatchObject({ code: 'SWY_BALANCER_INVALID_POLICY', field: 'kind' });
  });

  test('createBackendBalancer checks the policy too, and exposes it normalized', () => {
    const error = thrown(() => createBackendBalancer({ kind: 'least-request', choices: 0 }));
    expect(isSwitchyardError(error, 'SWY_BALANCER_INVALID_POLICY')).toBe(true);
    expect(error).toMatchObject({ field: 'policy.choices' });
    expect(createBackendBalancer({ kind: 'consistent-hash', on: { header: 'X-User' } }).policy).toEqual({ kind: 'consistent-hash', on: { header: 'x-user' } });
  });
});
