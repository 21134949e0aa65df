import { compile, type KubernetesObject } from '@switchyard/core';
import { gatewayCompileOptions, thrown } from '@switchyard/test-utils';
import { describe, expect, test } from 'vitest';
import { GatewayPorts } from '../src/gateway-ports.js';

const V1 = 'gateway.networking.k8s.io/v1';
const tableWithPorts = (...ports: number[]) =>
  compile({
    ingresses: [],
    ...gatewayCompileOptions([
      { apiVersion: V1, kind: 'GatewayClass', metadata: { name: 'switchyard' }, spec: { controllerName: 'example.com/switchyard' } },
      { apiVersion: V1, kind: 'Gateway', metadata: { name: 'gw', namespace: 'infra' }, spec: { gatewayClassName: 'switchyard', listeners: ports.map((port) => ({ name: `p${port}`, port, protocol: 'HTTP' })) } },
    ] as unknown as KubernetesObject[]),
  }).table;

describe('GatewayPorts: a listener port below 1024 without a --bind', () => {
  test('from files, the command line is wrong: SWY_CLI_USAGE naming --bind', () => {
    expect(thrown(() => new GatewayPorts(tableWithPorts(80, 8080), []))).toMatchObject({ code: 'SWY_CLI_USAGE', field: '--bind' });
  });

  test('from a cluster, the port is left out and said; the others are served, and a later table does not count it as added', () => {
    const ports = new GatewayPorts(tableWithPorts(80, 8080), [], { privilegedWithoutBind: 'leave-out' });
    expect(ports.served.map((p) => p.port)).toEqual([8080]);
    expect(ports.leftOut).toEqual([{ port: 80, code: 'SWY_CLI_USAGE', message: expect.stringMatching(/port 80 is below 1024: give --bind 80=HOST:PORT.*; not listened on$/) }]);
    expect(ports.status()).toMatchObject({ notListened: [{ port: 80 }], restartNeeded: false });
    expect(ports.update(tableWithPorts(80, 8080)).change).toBeUndefined();
  });

  test('with a --bind it is served where the bind says', () => {
    const ports = new GatewayPorts(tableWithPorts(80), [{ port: 80, listen: { host: '127.0.0.1', port: 0 } }], { privilegedWithoutBind: 'leave-out' });
    expect(ports.served).toMatchObject([{ port: 80, listen: { host: '127.0.0.1', port: 0 } }]);
    expect(ports.leftOut).toEqual([]);
  });
});
