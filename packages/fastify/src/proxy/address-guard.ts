import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { AddressDenial, AddressPolicy } from '@switchyard/core';
import { buildConnector } from 'undici';

/**
 * The proxy's side of core's `AddressPolicy`: every path that opens an upstream connection (the
 * HTTP/1.1 Agent, the h2c session pool, the WebSocket tunnel, and the mirrors' own) asks the
 * policy first, so an endpoint that slipped past discovery (written in code, a name resolved at
 * connect time) is still never connected to. Checked per new connection, never per request.
 */

/** The `code` of the error a refused connection fails with; `classifyUpstreamError` answers it 502 `SWY_PROXY_ADDRESS_DENIED`. */
export const ADDRESS_DENIED = 'SWY_PROXY_ADDRESS_DENIED';

/** The error a connection the policy refuses fails with, before any socket is opened. */
export function addressDeniedError(denial: AddressDenial): Error & { code: string } {
  return Object.assign(new Error(denial.message), { code: ADDRESS_DENIED });
}

/**
 * A `lookup` for `net.connect` (Node calls it for names only, never for IP literals): the
 * addresses the policy denies are dropped from the answer, and a name left with none fails.
 */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, options, (error, address: string | LookupAddress[], family?: number) => {
      if (error !== null) return callback(error, '', 0);
      if (Array.isArray(address)) {
        let denial: AddressDenial | undefined;
        const allowed = address.filter((entry) => {
          const found = policy.check(entry.address);
          denial ??= found;
          return found === undefined;
        });
        if (allowed.length === 0 && denial !== undefined) return callback(addressDeniedError(denial), '', 0);
        return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, allowed);
      }
      const denial = policy.check(address);
      if (denial !== undefined) return callback(addressDeniedError(denial), '', 0);
      callback(null, address, family ?? 4);
    });
  };
}

/**
 * undici's connector with the policy in front: an IP literal it denies fails at once (no
 * socket), a name goes through `guardedLookup`. `options` are the Agent's `connect` options.
 */
export function guardedConnector(policy: AddressPolicy, options: buildConnector.BuildOptions): buildConnector.connector {
  const connect = buildConnector({ ...options, lookup: guardedLookup(policy) } as buildConnector.BuildOptions);
  return (connectOptions, callback) => {
    const denial = policy.check(connectOptions.hostname);
    if (denial !== undefined) return callback(addressDeniedError(denial), null);
    connect(connectOptions, callback);
  };
}

/**
 * The host of an endpoint's origin (`http://10.0.0.1:8080`, `http://[::1]:8080`: core's
 * `RoutableEndpoint.origin`, which always has a port), brackets kept: what `AddressPolicy.check` takes.
 */
export function originHost(origin: string): string {
  return origin.slice(origin.indexOf('//') + 2, origin.lastIndexOf(':'));
}
