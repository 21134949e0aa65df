import { compile, type KubernetesObject } from '@switchyard/core';
import { gatewayCompileOptions } from '@switchyard/test-utils';
import { describe, expect, test } from 'vitest';
import { GatewayPorts } from '../src/gateway-ports.js';
import { withListenedPorts } from '../src/listened-status.js';

const V1 = 'gateway.networking.k8s.io/v1';
const tableWith = (listeners: Array<{ port: number; protocol?: string }>) =>
  compile({
    ingresses: [],
    ...gatewayCompileOptions([
      { apiVersion: V1, kind: 'GatewayClass', metadata: { name: 'switchyard' }, spec: { controllerName: 'example.com/switchyard' } },
      {
        apiVersion: V1,
        kind: 'Gateway',
        metadata: { name: 'gw', namespace: 'infra' },
        spec: {
          gatewayClassName: 'switchyard',
          listeners: listeners.map(({ port, protocol = 'HTTP' }) => ({ name: `p${port}`, port, protocol, ...(protocol === 'HTTPS' ? { tls: { certificateRefs: [{ name: 'cert' }] } } : {}) })),
        },
      },
      { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'cert', namespace: 'infra' }, data: { 'tls.crt': 'Y2VydA==', 'tls.key': 'a2V5' } },
    ] as unknown as KubernetesObject[]),
  }).table;

const programmed = (status: ReturnType<typeof withListenedPorts>, listener?: string) => {
  const gateway = status.gateways.find((g) => g.gateway === 'infra/gw')!;
  const conditions = listener === undefined ? gateway.conditions : gateway.listeners.find((l) => l.name === listener)!.conditions;
  return conditions.find((c) => c.type === 'Programmed');
};

describe('Programmed says whether this process listens on the port', () => {
  test('every port listened on: the compiler\'s status as it is', () => {
    const table = tableWith([{ port: 8080 }]);
    const ports = new GatewayPorts(table, [], { privilegedWithoutBind: 'leave-out' });
    expect(withListenedPorts(table, ports.notListened(table))).toBe(table.gatewayStatus);
  });

  test('a port below 1024 without a --bind: its listener Pending with the reason; the Gateway stays Programmed by its other listener', () => {
    const table = tableWith([{ port: 80 }, { port: 8080 }]);
    const status = withListenedPorts(table, new GatewayPorts(table, [], { privilegedWithoutBind: 'leave-out' }).notListened(table));
    expect(programmed(status, 'p80')).toMatchObject({ status: 'False', reason: 'Pending', message: expect.stringContaining('give --bind 80=HOST:PORT') });
    expect(programmed(status, 'p8080')).toMatchObject({ status: 'True' });
    expect(programmed(status)).toMatchObject({ status: 'True' });
  });

  test('a port added after the start, and one turned to another protocol: Pending until a restart; a Gateway with no listener listened on is not Programmed', () => {
    const ports = new GatewayPorts(tableWith([{ port: 8080 }]), [], { privilegedWithoutBind: 'leave-out' });
    const later = tableWith([{ port: 8081 }]);
    const status = withListenedPorts(later, ports.notListened(later));
    expect(programmed(status, 'p8081')).toMatchObject({ status: 'False', reason: 'Pending', message: expect.stringContaining('restart') });
    expect(programmed(status)).toMatchObject({ status: 'False', reason: 'Pending' });
    const turned = tableWith([{ port: 8080, protocol: 'HTTPS' }]);
    expect(ports.notListened(turned).get(8080)).toMatch(/listened on as HTTP: restart .* HTTPS/);
  });

  test('a port whose listen failed (an address in use) is Pending with the listen error, and /readyz lists it', () => {
    const table = tableWith([{ port: 8080 }]);
    const ports = new GatewayPorts(table, [], { privilegedWithoutBind: 'leave-out' });
    ports.listenFailed(8080, 'port 8080: cannot listen on 0.0.0.0:8080: the address is in use');
    expect(programmed(withListenedPorts(table, ports.notListened(table)), 'p8080')).toMatchObject({ status: 'False', reason: 'Pending', message: expect.stringContaining('in use') });
    expect(ports.status()).toMatchObject({ notListened: [{ port: 8080, code: 'SWY_CLI_LISTEN_FAILED' }] });
  });
});
