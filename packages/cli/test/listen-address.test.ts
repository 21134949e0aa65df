import { expect, test } from 'vitest';
import { parseListenAddress } from '../src/listen-address.js';

test.each([
  ['8080', { host: '0.0.0.0', port: 8080 }],
  [':8080', { host: '0.0.0.0', port: 8080 }],
  ['0', { host: '0.0.0.0', port: 0 }],
  ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
  ['[::1]:8080', { host: '::1', port: 8080 }],
])('--listen %s', (value, address) => {
  expect(parseListenAddress(value, '--listen')).toEqual(address);
});

test.each(['', ':', '70000', ':70000', 'x8080', ':80a'])('--listen %j is SWY_CLI_BAD_ADDRESS', (value) => {
  expect(() => parseListenAddress(value, '--listen')).toThrow(expect.objectContaining({ code: 'SWY_CLI_BAD_ADDRESS', field: '--listen' }));
});
