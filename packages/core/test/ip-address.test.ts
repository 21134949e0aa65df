import * as net from 'node:net';
import { expect, test } from 'vitest';
import { isIP, isIPv4, isIPv6 } from '../src/ip-address.js';

// Core's main entry avoids node:net (its own parser, not a copy of Node's); its IP syntax must stay exactly node:net's.
const INPUTS = [
  '', '1.2.3.4', '0.0.0.0', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1.2.3.4 ',
  '::', '::1', '1::', 'fe80::1', 'FE80::1', 'fe80::1%eth0', 'fe80::1%', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:1.2.3.4', '1::2::3', ':1', '1:', '12345::1', 'g::1', '[::1]', 'example.com',
  '2001:db8::', '2001:db8:0:0:0:0:2:1', '::1.2.3.4', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7::8', '::ffff:01.2.3.4', '1.2.3.4::', 'fe80::1%eth0%1', 'fe80::1%en_0', 'fe80::1%en-0.1:2', '::1.2.3', ':::', 'abcd::ef01:2345', 'ABCDE::1', '1:2:3:4:5:6:7:1.2.3.4', '0:0:0:0:0:0:0:0',
];

test.each(INPUTS)('%j is classified as node:net classifies it', (input) => {
  expect(isIPv4(input)).toBe(net.isIPv4(input));
  expect(isIPv6(input)).toBe(net.isIPv6(input));
  expect(isIP(input)).toBe(net.isIP(input));
});
