import type { Endpoint, EndpointSet, ExternalNameResolver } from '@switchyard/core';

/**
 * An `ExternalNameResolver` with a fixed answer per hostname, pushed at once: what
 * `@switchyard/dns` pushes for an ExternalName Service, without a DNS server. Each endpoint
 * carries the name it was resolved from, as the DNS resolver's do.
 */
export class FixedNameResolver implements ExternalNameResolver {
  constructor(private readonly addresses: Readonly<Record<string, readonly string[]>>) {}

  watchName(hostname: string, port: number, onChange: (set: EndpointSet) => void, options: { backendKey?: string } = {}): () => void {
    const endpoints = (this.addresses[hostname] ?? []).map(
      (address): Endpoint => ({ address, port, ready: true, serving: true, terminating: false, externalName: hostname }),
    );
    onChange({ backendKey: options.backendKey ?? hostname, version: 1, endpoints, stale: false });
    return () => undefined;
  }
}
