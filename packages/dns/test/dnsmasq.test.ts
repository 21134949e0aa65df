import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { createDnsDiscovery, type DnsDiscovery } from '@switchyard/dns';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Pushed, sleep } from './helpers/watch.js';
import { eventually } from '@switchyard/test-utils';

/**
 * A real DNS server: dnsmasq (Debian's dnsmasq-base) as a child process on a free port. The
 * root `pretest` hook (scripts/ensure-dnsmasq.sh) installs it; without it this file fails, it
 * does not skip.
 */

let dnsmasq: ChildProcess | undefined;
let server = '';
let dns: DnsDiscovery;
const output: string[] = [];

/** A UDP port free right now on 127.0.0.1. */
async function freePort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  let binary: string;
  try {
    binary = execFileSync('sh', ['-c', 'command -v dnsmasq'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('dnsmasq is not on PATH: run `bash scripts/ensure-dnsmasq.sh` (the root pretest hook does) to install dnsmasq-base');
  }
  const port = await freePort();
  server = `127.0.0.1:${port}`;
  dnsmasq = spawn(
    binary,
    [
      '--keep-in-foreground',
      '--no-daemon',
      `--port=${port}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      '--no-resolv',
      '--no-hosts',
      '--conf-file=/dev/null',
      '--user=root', // do not drop to `nobody`, which may not exist in a container
      '--local-ttl=0',
      '--address=/app.test/127.0.0.7',
      '--host-record=web.test,127.0.0.8,2001:db8::8,1',
      '--host-record=web2.test,127.0.0.9',
      '--cname=alias.test,web.test',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  dnsmasq.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  dnsmasq.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<never>((_, reject) => dnsmasq?.once('exit', (code) => reject(new Error(`dnsmasq exited (${code}): ${output.join('')}`))));
  exited.catch(() => {});

  // Wait until it answers.
  const probe = new Resolver({ timeout: 200, tries: 1 });
  probe.setServers([server]);
  const ready = (async () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await probe.resolve4('app.test');
        return;
      } catch {
        await sleep(50);
      }
    }
    throw new Error(`dnsmasq did not answer on ${server}: ${output.join('')}`);
  })();
  await Promise.race([ready, exited]);
  dns = createDnsDiscovery({ servers: [server], minTtlMs: 200, maxTtlMs: 1_000, family: 'both' });
});

afterAll(async () => {
  await dns?.close();
  if (dnsmasq !== undefined && dnsmasq.exitCode === null) {
    const exited = new Promise((resolve) => dnsmasq?.once('exit', resolve));
    dnsmasq.kill('SIGTERM');
    await exited;
  }
});

test('an --address name resolves through dnsmasq (A only; its AAAA query is refused and ignored)', async () => {
  const pushed = new Pushed();
  dns.watchName('app.test', 8080, pushed.onChange);
  await dns.ready();
  expect(pushed.last).toEqual({
    backendKey: 'app.test:8080',
    version: 1,
    stale: false,
    endpoints: [{ address: '127.0.0.7', port: 8080, ready: true, serving: true, terminating: false, externalName: 'app.test' }],
  });
});

test('a --host-record name gives both families', async () => {
  const pushed = new Pushed();
  dns.watchName('web.test', 443, pushed.onChange);
  await dns.ready();
  expect(pushed.addresses).toEqual(['127.0.0.8', '2001:db8::8']);
});

test('a --cname alias follows to its target', async () => {
  const pushed = new Pushed();
  dns.watchName('alias.test', 443, pushed.onChange);
  await dns.ready();
  expect(pushed.addresses).toEqual(['127.0.0.8', '2001:db8::8']);
});

test('local records (TTL 0, refreshed every minTtlMs): an unchanged answer is not pushed again', async () => {
  const pushed = new Pushed();
  dns.watchName('web2.test', 443, pushed.onChange);
  await dns.ready();
  await sleep(700);
  expect(pushed.sets).toHaveLength(1);
  expect(pushed.addresses).toEqual(['127.0.0.9']);
});

test('an unknown name (no upstream: REFUSED) is a server failure, not an answer', async () => {
  const pushed = new Pushed();
  dns.watchName('nope.test', 443, pushed.onChange);
  await eventually('the first set', () => pushed.sets.length > 0);
  expect(pushed.last).toMatchObject({ endpoints: [], stale: false, problem: { code: 'SWY_DNS_SERVER_FAILED' } });
});
