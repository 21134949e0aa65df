import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';

/**
 * A programmable DNS server on UDP 127.0.0.1 for tests: real queries from `node:dns` reach it
 * and it answers from a small in-memory zone, or fails on purpose. It plays a recursive
 * resolver, so a CNAME answer carries the rest of the chain it knows.
 */

/** An address record and its TTL in seconds. */
export interface AddressRecord {
  readonly address: string;
  readonly ttl: number;
}

/** What the server knows of one name. */
export interface NameRecords {
  readonly a?: readonly AddressRecord[];
  readonly aaaa?: readonly AddressRecord[];
  /** The name is an alias: the answer is this CNAME, then the target's records. */
  readonly cname?: { readonly target: string; readonly ttl: number };
}

/**
 * How the server answers: from its zone (`'normal'`, unknown names are NXDOMAIN), or
 * failing every query with SERVFAIL, REFUSED, or no answer at all (the client times out).
 */
export type ServerMode = 'normal' | 'servfail' | 'refused' | 'drop';

/** One name's behaviour: its records, or a failure for this name only. */
export type NameBehaviour = NameRecords | 'servfail' | 'nxdomain' | 'refused' | 'drop';

/** A query the server received. */
export interface ReceivedQuery {
  readonly name: string;
  readonly type: string;
  readonly at: number;
}

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;
const MAX_CHAIN = 16;

export class DnsTestServer {
  private readonly names = new Map<string, NameBehaviour>();
  private readonly received: ReceivedQuery[] = [];
  private mode: ServerMode = 'normal';
  /**
   * True (the default): a CNAME answer carries the rest of the chain, as a recursive resolver
   * sends it. False: only the CNAME, as an authoritative server for another zone would.
   */
  followCnames = true;

  private constructor(private readonly socket: Socket) {
    socket.on('message', (message, remote) => this.answer(message, remote));
  }

  /** Starts a server on 127.0.0.1 on a free port. */
  static async start(): Promise<DnsTestServer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new DnsTestServer(socket);
  }

  /** `127.0.0.1:<port>`, for `servers`. */
  get address(): string {
    return `127.0.0.1:${this.socket.address().port}`;
  }

  /** Sets (or replaces) what `name` answers. */
  set(name: string, behaviour: NameBehaviour): this {
    this.names.set(name.toLowerCase(), behaviour);
    return this;
  }

  /** Forgets `name`: it answers NXDOMAIN from now on. */
  remove(name: string): this {
    this.names.delete(name.toLowerCase());
    return this;
  }

  /** Fails every query (`'servfail'`, `'refused'`, `'drop'`) or answers normally again. */
  setMode(mode: ServerMode): this {
    this.mode = mode;
    return this;
  }

  /** The queries received so far, optionally only those for `name` (and `type`). */
  queries(name?: string, type?: string): ReceivedQuery[] {
    return this.received.filter((q) => (name === undefined || q.name === name.toLowerCase()) && (type === undefined || q.type === type));
  }

  /** Forgets the queries received so far. */
  resetQueries(): void {
    this.received.length = 0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private answer(message: Buffer, remote: RemoteInfo): void {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (question === undefined) return;
    const name = question.name.toLowerCase();
    this.received.push({ name, type: question.type, at: Date.now() });

    const behaviour = this.names.get(name);
    const failure = this.mode !== 'normal' ? this.mode : typeof behaviour === 'string' ? behaviour : undefined;
    if (failure === 'drop') return;

    let rcode: number = RCODE.NOERROR;
    let answers: dnsPacket.Answer[] = [];
    if (failure === 'servfail') rcode = RCODE.SERVFAIL;
    else if (failure === 'refused') rcode = RCODE.REFUSED;
    else if (failure === 'nxdomain' || behaviour === undefined) rcode = RCODE.NXDOMAIN;
    else ({ rcode, answers } = this.resolve(name, question.type));

    const response = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcode,
      questions: [question],
      answers,
    });
    this.socket.send(response, remote.port, remote.address);
  }

  /** The answer section for `name`, following CNAMEs through the zone like a recursive resolver. */
  private resolve(name: string, type: string): { rcode: number; answers: dnsPacket.Answer[] } {
    const answers: dnsPacket.Answer[] = [];
    let current = name;
    for (let hop = 0; hop < MAX_CHAIN; hop++) {
      const behaviour = this.names.get(current);
      if (behaviour === undefined || typeof behaviour === 'string') {
        // The chain leads to a name that does not exist (or fails): NXDOMAIN after the CNAMEs.
        return { rcode: behaviour === 'servfail' ? RCODE.SERVFAIL : RCODE.NXDOMAIN, answers };
      }
      if (behaviour.cname !== undefined) {
        if (type === 'CNAME' && hop === 0) {
          return { rcode: RCODE.NOERROR, answers: [{ type: 'CNAME', name: current, ttl: behaviour.cname.ttl, class: 'IN', data: behaviour.cname.target }] };
        }
        answers.push({ type: 'CNAME', name: current, ttl: behaviour.cname.ttl, class: 'IN', data: behaviour.cname.target });
        current = behaviour.cname.target.toLowerCase();
        if (!this.followCnames) return { rcode: RCODE.NOERROR, answers };
        continue;
      }
      const records = type === 'A' ? behaviour.a : type === 'AAAA' ? behaviour.aaaa : undefined;
      for (const record of records ?? []) {
        answers.push({ type: type as 'A' | 'AAAA', name: current, ttl: record.ttl, class: 'IN', data: record.address });
      }
      return { rcode: RCODE.NOERROR, answers };
    }
    return { rcode: RCODE.SERVFAIL, answers: [] };
  }
}
