import { hostname } from 'node:os';
import { describe, expect, test } from 'vitest';
import { thrown } from '@switchyard/test-utils';
import { parseCommandLine } from '../src/command-line.js';
import { addressOf, leaseIdentity } from '../src/status-write-back.js';

function serveOptions(argv: string[]): Record<string, unknown> {
  return (parseCommandLine(['serve', ...argv]) as unknown as { options: Record<string, unknown> }).options;
}

function refused(argv: string[]): { code: string; field: string | undefined } {
  const error = thrown(() => parseCommandLine(['serve', ...argv])) as { code: string; field?: string };
  return { code: error.code, field: error.field };
}

describe('serve --kubernetes: the Gateway API flags', () => {
  test('--gateway-class, --gateway, --controller-name and --bind go with --kubernetes', () => {
    expect(serveOptions(['--kubernetes', '--controller-name', 'example.com/gw', '--gateway-class', 'edge', '--gateway', 'infra/public', '--bind', '80=0.0.0.0:8081'])).toEqual({
      kubernetes: {},
      controllerName: 'example.com/gw',
      gatewayClass: 'edge',
      gateways: ['infra/public'],
      gatewayBinds: [{ port: 80, listen: { host: '0.0.0.0', port: 8081 } }],
    });
  });

  test('--lease and its timings, in client-go\'s names, to milliseconds but the duration (whole seconds, as the Lease stores it)', () => {
    const options = serveOptions(['--kubernetes', '--lease', 'switchyard/gateway-status', '--lease-identity', 'pod-a', '--lease-duration', '15', '--lease-renew-deadline', '10', '--lease-retry-period', '0.5']);
    expect(options['kubernetes']).toEqual({
      lease: { namespace: 'switchyard', name: 'gateway-status', identity: 'pod-a', leaseDurationSeconds: 15, renewDeadlineMs: 10_000, retryPeriodMs: 500 },
    });
  });

  test('--lease alone leaves identity and timings to their defaults', () => {
    expect(serveOptions(['--kubernetes', '--lease', 'sw/l'])['kubernetes']).toEqual({ lease: { namespace: 'sw', name: 'l' } });
  });

  test('--gateway-address (repeatable) or --publish-service give the Gateways\' addresses', () => {
    expect(serveOptions(['--kubernetes', '--gateway-address', '203.0.113.7', '--gateway-address', 'gw.example.com'])['kubernetes']).toEqual({
      gatewayAddresses: { addresses: ['203.0.113.7', 'gw.example.com'] },
    });
    expect(serveOptions(['--kubernetes', '--publish-service', 'switchyard/switchyard'])['kubernetes']).toEqual({ gatewayAddresses: { service: 'switchyard/switchyard' } });
    expect(serveOptions(['--kubernetes', '--namespace', 'switchyard', '--publish-service', 'switchyard/gw'])['kubernetes']).toMatchObject({ gatewayAddresses: { service: 'switchyard/gw' } });
  });

  test.each([
    [['-f', 'a.yaml', '--lease', 'sw/l'], 'SWY_CLI_USAGE', '--lease'],
    [['-f', 'a.yaml', '--gateway-address', '10.0.0.1'], 'SWY_CLI_USAGE', '--gateway-address'],
    [['-f', 'a.yaml', '--publish-service', 'sw/svc'], 'SWY_CLI_USAGE', '--publish-service'],
    [['-f', 'a.yaml', '--controller-name', 'x/y'], 'SWY_CLI_USAGE', '--controller-name'],
    [['--kubernetes', '--lease-identity', 'a'], 'SWY_CLI_USAGE', '--lease-identity'],
    [['--kubernetes', '--lease-retry-period', '1'], 'SWY_CLI_USAGE', '--lease-retry-period'],
    [['--kubernetes', '--lease', 'lease'], 'SWY_CLI_BAD_VALUE', '--lease'],
    [['--kubernetes', '--lease', 'Sw/L'], 'SWY_CLI_BAD_VALUE', '--lease'],
    [['--kubernetes', '--lease', 'sw/l', '--lease-duration', '1.5'], 'SWY_CLI_BAD_VALUE', '--lease-duration'],
    [['--kubernetes', '--lease', 'sw/l', '--lease-duration', '0'], 'SWY_CLI_BAD_VALUE', '--lease-duration'],
    [['--kubernetes', '--lease', 'sw/l', '--lease-renew-deadline', 'soon'], 'SWY_CLI_BAD_VALUE', '--lease-renew-deadline'],
    [['--kubernetes', '--lease', 'sw/l', '--lease-identity', ' '], 'SWY_CLI_BAD_VALUE', '--lease-identity'],
    [['--kubernetes', '--gateway-address', 'not an address'], 'SWY_CLI_BAD_VALUE', '--gateway-address'],
    [['--kubernetes', '--gateway-address', 'a..example.com'], 'SWY_CLI_BAD_VALUE', '--gateway-address'],
    [['--kubernetes', '--gateway-address', '10.0.0.1', '--publish-service', 'sw/svc'], 'SWY_CLI_USAGE', '--publish-service'],
    [['--kubernetes', '--publish-service', 'svc'], 'SWY_CLI_BAD_VALUE', '--publish-service'],
    [['--kubernetes', '--namespace', 'shop', '--publish-service', 'switchyard/gw'], 'SWY_CLI_USAGE', '--publish-service'],
  ])('%j is refused: %s naming %s', (argv, code, field) => {
    expect(refused(argv)).toEqual({ code, field });
  });
});

describe('the Lease holder identity', () => {
  test('--lease-identity, else $POD_NAME (the downward API), else the host name', () => {
    expect(leaseIdentity('given', { POD_NAME: 'pod-a' })).toBe('given');
    expect(leaseIdentity(undefined, { POD_NAME: 'pod-a' })).toBe('pod-a');
    expect(leaseIdentity(undefined, { POD_NAME: '' })).toBe(hostname());
    expect(leaseIdentity(undefined, {})).toBe(hostname());
  });
});

describe('status.addresses', () => {
  test('an IP literal (v4 or v6) is an IPAddress, any other name a Hostname', () => {
    expect(addressOf('203.0.113.7')).toEqual({ type: 'IPAddress', value: '203.0.113.7' });
    expect(addressOf('2001:db8::1')).toEqual({ type: 'IPAddress', value: '2001:db8::1' });
    expect(addressOf('lb.example.com')).toEqual({ type: 'Hostname', value: 'lb.example.com' });
  });
});
