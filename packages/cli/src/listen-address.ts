import { isIP } from 'node:net';
import type { ListenAddress } from '@switchyard/fastify';
import { CliError } from './errors.js';

export type { ListenAddress } from '@switchyard/fastify';

// A DNS name a server may bind (`localhost`, `gateway.internal`): labels of letters, digits and hyphens.
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const PORT = /^\d{1,5}$/;

/** Where a bare `PORT` or `:PORT` listens: every IPv4 interface, as `0.0.0.0:PORT` would. */
const ALL_ADDRESSES = '0.0.0.0';

/**
 * Reads `HOST:PORT` (`127.0.0.1:8080`, `0.0.0.0:0`, `[::1]:8080`, `localhost:8080`), or a bare
 * `PORT` / `:PORT` for all addresses (`0.0.0.0`).
 *
 * @throws CliError `SWY_CLI_BAD_ADDRESS` with `field` set to `field`.
 */
export function parseListenAddress(value: string, field: string): ListenAddress {
  if (PORT.test(value)) return { host: ALL_ADDRESSES, port: parsePort(value, value, field, 0) };
  if (value.startsWith(':') && PORT.test(value.slice(1))) return { host: ALL_ADDRESSES, port: parsePort(value.slice(1), value, field, 0) };
  const colon = value.lastIndexOf(':');
  if (colon <= 0) throw badAddress(value, field, 'HOST:PORT');
  let host = value.slice(0, colon);
  const port = value.slice(colon + 1);
  if (host.startsWith('[') && host.endsWith(']')) {
    host = host.slice(1, -1);
    if (isIP(host) !== 6) throw badAddress(value, field, 'an IPv6 address in brackets, [::1]:PORT');
  } else if (isIP(host) === 0 && !HOST_NAME.test(host)) {
    throw badAddress(value, field, 'an IP address or host name before the port');
  }
  return { host, port: parsePort(port, value, field, 0) };
}

/**
 * Reads a DNS server as `setServers` takes it: an IP address with an optional port
 * (`10.0.0.10`, `127.0.0.1:5353`, `[::1]:53`).
 *
 * @throws CliError `SWY_CLI_BAD_ADDRESS`.
 */
export function parseDnsServer(value: string, field: string): string {
  if (isIP(value) !== 0) return value;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end > 0 && isIP(value.slice(1, end)) === 6 && value[end + 1] === ':') {
      parsePort(value.slice(end + 2), value, field, 1);
      return value;
    }
  } else {
    const colon = value.lastIndexOf(':');
    if (colon > 0 && isIP(value.slice(0, colon)) === 4) {
      parsePort(value.slice(colon + 1), value, field, 1);
      return value;
    }
  }
  throw badAddress(value, field, 'an IP address with an optional port (10.0.0.10, 127.0.0.1:5353, [::1]:53)');
}

function parsePort(text: string, value: string, field: string, min: number): number {
  const port = PORT.test(text) ? Number(text) : NaN;
  if (!(port >= min && port <= 65_535)) throw badAddress(value, field, `a port from ${min} to 65535`);
  return port;
}

function badAddress(value: string, field: string, expected: string): CliError {
  return new CliError('SWY_CLI_BAD_ADDRESS', `${field} ${JSON.stringify(value)} is not an address: expected ${expected}`, { field });
}
