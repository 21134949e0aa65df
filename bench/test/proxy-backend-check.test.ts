import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { BenchError } from '../src/common/errors.js';
import { checkBackends, OTHER_BACKEND, PROBE_BACKEND_HEADER, startBackendProbe, type BackendProbe } from '../src/proxy/backend-probe.js';

// The Gateway API target's backend check, against real servers on 127.0.0.1: the probe servers
// answer with their backend, and a stand-in "proxy" forwards by a header to one of them, the
// way a proxy that routes by the Gateway API conditions would. Nothing is timed.
let probe: BackendProbe | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  await probe?.close();
  proxy?.closeAllConnections();
  if (proxy) await new Promise((resolve) => proxy!.close(resolve));
  probe = proxy = undefined;
});

/** Forwards every request to the probe port `pick` chooses and relays status and probe header; 404 for none. */
async function standInProxy(pick: (req: IncomingMessage) => number | undefined): Promise<string> {
  proxy = createServer((req, res) => {
    const port = pick(req);
    if (port === undefined) return void res.writeHead(404).end('no route');
    fetch(`http://127.0.0.1:${port}${req.url}`, { method: req.method! }).then(
      (answer) => res.writeHead(answer.status, { [PROBE_BACKEND_HEADER]: answer.headers.get(PROBE_BACKEND_HEADER) ?? '' }).end(),
      () => res.writeHead(502).end(),
    );
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

const CANARY = { host: 'shop.example.com', path: '/cart', method: 'POST', headers: { 'x-canary': 'true' }, backend: 'shop/cart-canary:8080' };
const STABLE = { host: 'shop.example.com', path: '/cart', method: 'POST', headers: {}, backend: 'shop/cart:8080' };

describe('the backend check', () => {
  test('one probe server per expected backend and one for the rest, each answering with its backend', async () => {
    probe = await startBackendProbe([CANARY.backend, STABLE.backend, CANARY.backend]);
    expect(Object.keys(probe.ports.ports).sort()).toEqual([STABLE.backend, CANARY.backend].sort());
    const answer = await fetch(`http://127.0.0.1:${probe.ports.otherPort}/`);
    expect(answer.headers.get(PROBE_BACKEND_HEADER)).toBe(OTHER_BACKEND);
  });

  test('passes a proxy that sends each request (method and headers included) to the backend of its rule', async () => {
    probe = await startBackendProbe([CANARY.backend, STABLE.backend]);
    const { ports } = probe.ports;
    const url = await standInProxy((req) => (req.method !== 'POST' ? undefined : req.headers['x-canary'] === 'true' ? ports[CANARY.backend] : ports[STABLE.backend]));
    await checkBackends({ id: 'switchyard-gateway-1k', url }, [CANARY, STABLE]);
  });

  test('rejects a proxy that ignores the header (right route, wrong rule), naming the backend field', async () => {
    probe = await startBackendProbe([CANARY.backend, STABLE.backend]);
    const { ports } = probe.ports;
    const url = await standInProxy(() => ports[STABLE.backend]);
    const error = await checkBackends({ id: 'switchyard-gateway-1k', url }, [STABLE, CANARY]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BenchError);
    expect(error).toMatchObject({ code: 'SWY_BENCH_WRONG_ANSWER', field: 'backend', subject: { name: 'switchyard-gateway-1k' } });
  });

  test('a 404 is a wrong answer that says the Gateway API listeners were not consulted', async () => {
    probe = await startBackendProbe([CANARY.backend]);
    const url = await standInProxy(() => undefined);
    const error = await checkBackends({ id: 'switchyard-gateway-1k', url }, [CANARY]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SWY_BENCH_WRONG_ANSWER', field: 'status' });
    expect((error as Error).message).toContain('gatewayPort');
  });
});
