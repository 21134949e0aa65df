import { AddressPolicy, DEFAULT_ADDRESS_POLICY, LINK_LOCAL_RANGES, isSwitchyardError } from '@switchyard/core';
import { describe, expect, test } from 'vitest';

// The function itself, with no traffic: every connect path calls it (see the fastify tests for those).
describe('AddressPolicy: the link-local ranges are always denied', () => {
  test.each([
    ['169.254.169.254', '169.254.0.0/16'],
    ['169.254.0.0', '169.254.0.0/16'],
    ['169.254.255.255', '169.254.0.0/16'],
    ['fe80::1', 'fe80::/10'],
    ['FE80::a9fe:a9fe', 'fe80::/10'],
    ['febf:ffff::1', 'fe80::/10'],
    ['fe80::1%eth0', 'fe80::/10'],
    ['[fe80::1]', 'fe80::/10'],
    // IPv4-mapped IPv6 reaches the IPv4 address: checked as it.
    ['::ffff:169.254.169.254', '169.254.0.0/16'],
    ['::ffff:a9fe:a9fe', '169.254.0.0/16'],
    ['[::ffff:169.254.169.254]', '169.254.0.0/16'],
    ['0:0:0:0:0:ffff:169.254.1.2', '169.254.0.0/16'],
  ])('%s is denied by %s', (address, range) => {
    expect(DEFAULT_ADDRESS_POLICY.check(address)).toMatchObject({ address, range });
    expect(DEFAULT_ADDRESS_POLICY.check(address)?.message).toContain(range);
  });

  test.each(['127.0.0.1', '::1', '10.0.0.1', '169.253.255.255', '169.255.0.0', 'fec0::1', 'fe7f::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::', '192.0.2.7', '2001:db8::1'])(
    '%s is allowed',
    (address) => {
      expect(DEFAULT_ADDRESS_POLICY.check(address)).toBeUndefined();
    },
  );

  test('a name or something else that is no IP literal is not an address: checked on what it resolves to', () => {
    for (const value of ['metadata.google.internal', 'localhost', '', '169.254.169', '169.254.169.254.1', '01.2.3.4', ':::1', '1::2::3']) {
      expect(DEFAULT_ADDRESS_POLICY.check(value)).toBeUndefined();
    }
  });

  test('the ranges cannot be taken away, only added to', () => {
    expect(LINK_LOCAL_RANGES).toEqual(['169.254.0.0/16', 'fe80::/10']);
    const policy = new AddressPolicy({ deny: ['127.0.0.2', '10.0.0.0/8', 'fd00::/8', '::1/128'] });
    expect(policy.denied).toEqual(['169.254.0.0/16', 'fe80::/10', '127.0.0.2', '10.0.0.0/8', 'fd00::/8', '::1/128']);
    expect(policy.check('169.254.169.254')?.range).toBe('169.254.0.0/16');
    expect(policy.check('127.0.0.2')?.range).toBe('127.0.0.2');
    expect(policy.check('::ffff:127.0.0.2')?.range).toBe('127.0.0.2');
    expect(policy.check('127.0.0.1')).toBeUndefined();
    expect(policy.check('10.200.3.4')?.range).toBe('10.0.0.0/8');
    expect(policy.check('fd12::1')?.range).toBe('fd00::/8');
    expect(policy.check('::1')?.range).toBe('::1/128');
    expect(policy.check('::2')).toBeUndefined();
    expect(new AddressPolicy({ deny: ['0.0.0.0/0'] }).check('8.8.8.8')?.range).toBe('0.0.0.0/0');
    expect(new AddressPolicy({ deny: ['::/0'] }).check('2001:db8::1')?.range).toBe('::/0');
  });

  test.each([
    [{ deny: ['10.0.0.0/33'] }, 'deny[0]'],
    [{ deny: ['127.0.0.1', 'nope'] }, 'deny[1]'],
    [{ deny: ['fd00::/129'] }, 'deny[0]'],
    [{ deny: ['10.0.0.0/'] }, 'deny[0]'],
    [{ deny: [42] }, 'deny[0]'],
    [{ deny: '10.0.0.0/8' }, 'deny'],
  ])('%j is refused naming %s', (options, field) => {
    let caught: unknown;
    try {
      new AddressPolicy(options as never);
    } catch (error) {
      caught = error;
    }
    expect(isSwitchyardError(caught, 'SWY_ADDRESS_POLICY_INVALID')).toBe(true);
    expect((caught as { field?: string }).field).toBe(field);
  });
});
