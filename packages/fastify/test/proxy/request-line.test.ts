import { RequestLineWriter, type RequestLine } from '@switchyard/fastify';
import pino from 'pino';
import { describe, expect, test } from 'vitest';

/** A destination that keeps each write as it came. */
function recording(): { writes: string[]; write(chunk: string): void } {
  const writes: string[] = [];
  return { writes, write: (chunk: string) => void writes.push(chunk) };
}

const TIME = 1_796_000_000_123;
const PID = 4242;
const HOST = 'gw-0';

/** What pino itself writes for `logger.info(line, 'proxied')` with its default options, at TIME, PID and HOST. */
function pinoLine(line: RequestLine): string {
  const out = recording();
  pino({ base: { pid: PID, hostname: HOST }, timestamp: () => `,"time":${TIME}` }, out).info(line, 'proxied');
  return out.writes.join('');
}

/** The writer's line for `line`, flushed at once. */
function writerLine(line: RequestLine, options: { maxWriteBytes?: number } = {}, hostname: string = HOST): string {
  const out = recording();
  const writer = new RequestLineWriter(out, { pid: PID, hostname, ...options });
  writer.add(line, TIME);
  writer.flush();
  return out.writes.join('');
}

/** Two bytes a character in UTF-8. */
const WIDE = '\u00e9'.repeat(400);

const routed: RequestLine = {
  reqId: 'req-1',
  protocol: 'http1',
  method: 'GET',
  host: 'app.test',
  path: '/a/b?x=1',
  backend: 'default/app:80',
  endpoint: '127.0.0.1:8080',
  status: 200,
  grpcStatus: undefined,
  error: undefined,
  reason: undefined,
  durationMs: 1.234,
  requestId: '0b8f6d1e-3f57-4d3c-9a53-d1b8f1a0c5e2',
};

describe('RequestLineWriter writes the line pino writes', () => {
  const cases: Array<[string, RequestLine]> = [
    ['a routed request', routed],
    ['a request the gateway answered, every optional field absent', { ...routed, method: undefined, host: undefined, path: undefined, backend: undefined, endpoint: undefined, reqId: undefined, status: 400, error: 'SWY_PROXY_BAD_REQUEST', reason: 'HPE_HEADER_OVERFLOW' }],
    ['a gRPC call', { ...routed, protocol: 'h2c', grpcStatus: 14, status: 200, error: 'SWY_PROXY_UPSTREAM_UNAVAILABLE', reason: 'ECONNREFUSED' }],
    ['quotes and backslashes from the client', { ...routed, host: 'a"b\\c', path: '/"quoted"/\\back\\' }],
    ['a surrogate pair (an emoji, as a decoded path carries it) and DEL', { ...routed, path: '/\ud83d\ude00/x\u007f' }],
    ['control characters from the client', { ...routed, path: '/tab\there/nl\nthere/\u0000nul', host: 'bell\u0007' }],
    ['a path longer than 100 characters (pino escapes it another way)', { ...routed, path: `/${'long/'.repeat(40)}"end"` }],
    ['non-ASCII text, as Node decodes header bytes (latin1) and as a decoded path carries it', { ...routed, host: 'caf\u00e9.test', path: '/\u65e5\u672c/\u00fc' }],
    ['a duration that is not finite', { ...routed, durationMs: Number.NaN }],
    ['a status of the gateway for a client that left', { ...routed, status: 499, durationMs: 0 }],
  ];
  test.each(cases)('%s: byte for byte', (_name, line) => {
    const ours = writerLine(line);
    expect(ours).toBe(pinoLine(line));
    expect(ours.endsWith('\n')).toBe(true);
    expect(JSON.parse(ours)).toMatchObject({ level: 30, time: TIME, pid: PID, hostname: HOST, msg: 'proxied' });
  });

  test('durations as pino writes them: whole microseconds, other fractions, large and tiny numbers', () => {
    const durations = [0, 0.001, 0.01, 0.1, 0.02, 0.305, 1, 1.5, 12.345, 100.1, 999.999, 1000, 86_400_000.001, 1.2345, 0.1 + 0.2, 1e-7, 2 ** 40 + 0.5, 1e21, -1, Number.POSITIVE_INFINITY];
    // Every fraction of a millisecond in whole microseconds, and a spread of large ones.
    for (let micros = 0; micros < 3_000; micros++) durations.push(Math.round(micros * 7.3) / 1000);
    for (let i = 0; i < 200; i++) durations.push(Math.round(Math.random() * 2 ** 52) / 1000);
    const ours = durations.map((durationMs) => writerLine({ ...routed, durationMs }));
    expect(ours).toEqual(durations.map((durationMs) => pinoLine({ ...routed, durationMs })));
  });

  test('a lone surrogate: escaped (well-formed JSON), where pino writes it raw; both read back as the same string', () => {
    const line = { ...routed, path: '/x\ud800y' };
    const ours = writerLine(line);
    expect(ours).toContain('/x\\ud800y');
    expect(JSON.parse(ours)).toEqual(JSON.parse(pinoLine(line)));
  });

  test('the defaults are pino\'s: this process\'s pid and the machine\'s hostname', async () => {
    const { hostname } = await import('node:os');
    const out = recording();
    const writer = new RequestLineWriter(out);
    writer.add(routed, TIME);
    writer.flush();
    expect(JSON.parse(out.writes[0]!)).toMatchObject({ pid: process.pid, hostname: hostname() });
  });
});

describe('RequestLineWriter batches the lines of one event-loop turn', () => {
  test('nothing is written while the turn runs; one write carries its lines, in order, once it ends', async () => {
    const out = recording();
    const writer = new RequestLineWriter(out);
    for (let i = 0; i < 5; i++) writer.add({ ...routed, path: `/r-${i}` }, TIME + i);
    expect(out.writes).toEqual([]);
    expect(writer.pending).toBe(5);
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.writes).toHaveLength(1);
    expect(writer.pending).toBe(0);
    const lines = out.writes[0]!.trimEnd().split('\n').map((text) => JSON.parse(text) as { path: string; time: number });
    expect(lines.map((line) => [line.path, line.time])).toEqual([0, 1, 2, 3, 4].map((i) => [`/r-${i}`, TIME + i]));
  });

  test('flush() writes what is kept at once, and the turn\'s end then writes nothing more', async () => {
    const out = recording();
    const writer = new RequestLineWriter(out);
    writer.add(routed, TIME);
    writer.flush();
    expect(out.writes).toHaveLength(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.writes).toHaveLength(1);
    // A later line schedules its own write.
    writer.add(routed, TIME);
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.writes).toHaveLength(2);
  });

  test('each write holds whole lines and at most maxWriteBytes bytes; a longer line goes alone', () => {
    const out = recording();
    const lineBytes = Buffer.byteLength(writerLine(routed));
    const writer = new RequestLineWriter(out, { pid: PID, hostname: HOST, maxWriteBytes: lineBytes * 3 + 10 });
    for (let i = 0; i < 7; i++) writer.add(routed, TIME);
    writer.add({ ...routed, path: `/${'x'.repeat(lineBytes * 4)}` }, TIME);
    writer.add(routed, TIME);
    writer.flush();
    expect(out.writes.map((chunk) => chunk.split('\n').length - 1)).toEqual([3, 3, 1, 1, 1]);
    for (const chunk of out.writes) expect(chunk.endsWith('\n')).toBe(true);
    for (const chunk of out.writes.filter((c) => !c.includes('xxx'))) expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(lineBytes * 3 + 10);
  });

  test('the limit counts bytes, not characters: multi-byte lines split sooner', () => {
    const out = recording();
    const wide = { ...routed, path: `/${'\u65e5'.repeat(100)}` };
    const bytes = Buffer.byteLength(writerLine(wide));
    const writer = new RequestLineWriter(out, { pid: PID, hostname: HOST, maxWriteBytes: bytes * 2 });
    for (let i = 0; i < 4; i++) writer.add(wide, TIME);
    writer.flush();
    expect(out.writes.map((chunk) => Buffer.byteLength(chunk))).toEqual([bytes * 2, bytes * 2]);
  });

  // Each field that can carry text from the request, the upstream or the host, wide alone: every one is counted in bytes
  // (wide enough that three lines counted in characters would fit where two do in bytes).
  test.each([
    ['reqId', { reqId: WIDE }, HOST],
    ['method', { method: WIDE }, HOST],
    ['host (latin1, as Node decodes header bytes)', { host: WIDE }, HOST],
    ['path', { path: `/${WIDE}` }, HOST],
    ['backend', { backend: WIDE }, HOST],
    ['endpoint', { endpoint: WIDE }, HOST],
    ['error', { error: WIDE }, HOST],
    ['reason', { reason: WIDE }, HOST],
    ['requestId', { requestId: WIDE }, HOST],
    ['the hostname', {}, WIDE],
  ] as const)('the limit counts the bytes of a wide %s', (_field, fields, hostname) => {
    const out = recording();
    const wide = { ...routed, ...fields };
    const bytes = Buffer.byteLength(writerLine(wide, {}, hostname));
    const writer = new RequestLineWriter(out, { pid: PID, hostname, maxWriteBytes: bytes * 2 });
    for (let i = 0; i < 4; i++) writer.add(wide, TIME);
    writer.flush();
    expect(out.writes.map((chunk) => Buffer.byteLength(chunk))).toEqual([bytes * 2, bytes * 2]);
  });

  test('a destination that throws loses that write only: the lines are not written twice', () => {
    const writes: string[] = [];
    let fail = true;
    const writer = new RequestLineWriter({
      write: (chunk: string) => {
        if (fail) throw new Error('EBADF');
        writes.push(chunk);
      },
    });
    writer.add({ ...routed, path: '/lost' }, TIME);
    expect(() => writer.flush()).toThrow('EBADF');
    fail = false;
    writer.add({ ...routed, path: '/kept' }, TIME);
    writer.flush();
    expect(writes.join('')).toContain('/kept');
    expect(writes.join('')).not.toContain('/lost');
  });

  test('bad options are refused with their code and field', () => {
    const refusal = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        const { code, field, message } = error as { code: string; field: string; message: string };
        return { code, field, message };
      }
      throw new Error('not refused');
    };
    expect(refusal(() => new RequestLineWriter({} as never))).toEqual({ code: 'SWY_FASTIFY_INVALID_OPTIONS', field: 'destination', message: 'RequestLineWriter: the destination must have write(chunk)' });
    expect(refusal(() => new RequestLineWriter(recording(), { maxWriteBytes: 0 }))).toMatchObject({ code: 'SWY_FASTIFY_INVALID_OPTIONS', field: 'maxWriteBytes', message: expect.stringContaining('got 0') });
    expect(refusal(() => new RequestLineWriter(recording(), { maxWriteBytes: 1.5 }))).toMatchObject({ field: 'maxWriteBytes' });
  });
});
