import type { GatewayRequest } from '@switchyard/core';

/** The requests of a sample, split into the arguments up front. */
export interface Batch {
  readonly hosts: readonly string[];
  readonly paths: readonly string[];
  /** Gateway API subjects: each request's method and headers, the third argument. */
  readonly requests?: readonly GatewayRequest[];
  /** How many of them are hits: the loop's count must come out the same. */
  readonly hits: number;
}

export type Call = (host: string, path: string, request?: GatewayRequest) => unknown;

/**
 * Hands out the sample's requests one pass at a time. With `fresh` (the default), every
 * pass gets new string objects, made from bytes as Node's HTTP parser makes `req.url` and
 * the Host header, just before the pass runs. Two reasons:
 * - V8 caches a string's hash in the string, so handing the same strings over and over
 *   lets every Map lookup on a Host or path skip the hashing real traffic pays
 *   (find-my-way's compile-mode benchmark makes the same point);
 * - making them all up front instead would leave them cold in memory, and streaming
 *   megabytes of them through the caches would slow the table down as no server sees.
 */
export class PassMaker {
  private readonly hostBytes: StringBytes;
  private readonly pathBytes: StringBytes;
  private readonly conditions: GatewayRequestMaker | undefined;

  constructor(
    readonly sample: Batch,
    private readonly fresh: boolean,
  ) {
    this.hostBytes = new StringBytes(sample.hosts);
    this.pathBytes = new StringBytes(sample.paths);
    this.conditions = sample.requests && new GatewayRequestMaker(sample.requests);
  }

  next(): Batch {
    if (!this.fresh) return this.sample;
    const hosts = this.hostBytes.copy();
    const batch = { hosts, paths: this.pathBytes.copy(), hits: this.sample.hits };
    return this.conditions === undefined ? batch : { ...batch, requests: this.conditions.make(hosts) };
  }
}

/**
 * New `GatewayRequest`s for every pass, as a socket gives them: a new headers object per
 * request, its values new strings (header matches compare them by content), filled in the
 * order the client sent them; the Host header is the pass's new Host string. Methods stay the
 * shared constants Node's parser hands out, and header names are the same few strings every
 * time, as Node's own lowercased names are once V8 internalizes them as keys.
 */
class GatewayRequestMaker {
  private readonly methods: readonly (string | undefined)[];
  private readonly names: ReadonlyArray<readonly string[]>;
  private readonly values: StringBytes;

  constructor(requests: readonly GatewayRequest[]) {
    this.methods = requests.map((request) => request.method);
    const entries = requests.map((request) => Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host'));
    this.names = entries.map((list) => list.map(([name]) => name));
    this.values = new StringBytes(entries.flatMap((list) => list.map(([, value]) => value)));
  }

  make(hosts: readonly string[]): GatewayRequest[] {
    const values = this.values.copy();
    const requests: GatewayRequest[] = new Array(this.methods.length);
    let v = 0;
    for (let i = 0; i < requests.length; i++) {
      const headers: Record<string, string> = { host: hosts[i]! };
      for (const name of this.names[i]!) headers[name] = values[v++]!;
      requests[i] = { method: this.methods[i], headers, query: '' };
    }
    return requests;
  }
}

/**
 * Times `passes` passes over the sample and returns nanoseconds per call. Only the loop
 * is timed, not the making of the strings. The loop is the plainest one possible so its
 * own cost (a couple of ns) is the same for every subject; counting the hits keeps the
 * calls from being optimized away and catches a subject that stopped answering.
 */
export function timePasses(call: Call, maker: PassMaker, passes: number): number {
  let elapsed = 0;
  let calls = 0;
  for (let pass = 0; pass < passes; pass++) {
    const { hosts, paths, requests, hits } = maker.next();
    const n = hosts.length;
    let found = 0;
    const start = process.hrtime.bigint();
    if (requests === undefined) {
      for (let i = 0; i < n; i++) {
        if (call(hosts[i]!, paths[i]!) != null) found++;
      }
    } else {
      for (let i = 0; i < n; i++) {
        if (call(hosts[i]!, paths[i]!, requests[i]!) != null) found++;
      }
    }
    elapsed += Number(process.hrtime.bigint() - start);
    calls += n;
    if (found !== hits) throw new Error(`timed loop found ${found} routes, expected ${hits}`);
  }
  return elapsed / calls;
}

/** Strings kept as latin1 bytes, to be turned into new, flat, never-hashed strings on demand. */
class StringBytes {
  private readonly bytes: Buffer;
  private readonly ends: number[] = [];

  constructor(strings: readonly string[]) {
    this.bytes = Buffer.from(strings.join(''), 'latin1');
    let end = 0;
    for (const string of strings) this.ends.push((end += string.length));
  }

  copy(): string[] {
    const out: string[] = new Array(this.ends.length);
    let start = 0;
    for (let i = 0; i < this.ends.length; i++) {
      const end = this.ends[i]!;
      out[i] = this.bytes.toString('latin1', start, end);
      start = end;
    }
    return out;
  }
}
