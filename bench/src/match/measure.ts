/** The requests of a sample, split into the two arguments up front. */
export interface Batch {
  readonly hosts: readonly string[];
  readonly paths: readonly string[];
  /** How many of them are hits: the loop's count must come out the same. */
  readonly hits: number;
}

export type Call = (host: string, path: string) => unknown;

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

  constructor(
    readonly sample: Batch,
    private readonly fresh: boolean,
  ) {
    this.hostBytes = new StringBytes(sample.hosts);
    this.pathBytes = new StringBytes(sample.paths);
  }

  next(): Batch {
    if (!this.fresh) return this.sample;
    return { hosts: this.hostBytes.copy(), paths: this.pathBytes.copy(), hits: this.sample.hits };
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
    const { hosts, paths, hits } = maker.next();
    const n = hosts.length;
    let found = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      if (call(hosts[i]!, paths[i]!) != null) found++;
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
