import type { CompileOptions, GatewayRequest } from '@switchyard/core';
import { gatewayMatchKey, routeKey, type AnswerKey } from './answer-key.js';
import type { CoreUnderTest } from './core-under-test.js';
import { GATEWAY_CLASS, GATEWAY_PORT } from './gateway-workload.js';
import { FIND_MY_WAY, PREFIX_HASH, SEGMENT_TRIE, type MatchEngine } from './match-engines.js';
import { buildRawRouters, rawAnswer, type RawRoute } from './raw-find-my-way.js';

/** The things the benchmark times, each in a process of its own. */
export type SubjectId = 'trie-match' | 'hash-match' | 'fmw-match' | 'trie-lookup' | 'raw-fmw' | 'gateway-find';

/** Which workload a subject is built from: the Ingress table of each size, or the one Gateway API table. */
export type TableKind = 'ingress' | 'gateway';

/** What a subject is built from: the Ingresses, or the Gateway and its HTTPRoutes. */
export type TableInput = Pick<CompileOptions, 'ingresses' | 'gateways' | 'httpRoutes'>;

export interface Subject {
  readonly id: SubjectId;
  readonly label: string;
  readonly table: TableKind;
  /**
   * What a request hands it as the host: the Host itself, or the rule host that answers
   * (raw find-my-way has no host tiers, so it is told which router to ask). Paths and Hosts
   * are in normal form already (the orchestrator asserts it), as `lookup` takes them.
   */
  readonly hostInput: 'host' | 'router-key';
  /** Whether its build time and heap are its own; `lookup` reads the same table as `match`. */
  readonly ownBuild: boolean;
  /** Builds it with the core under test (raw find-my-way uses none). */
  build(core: CoreUnderTest, input: TableInput): Built;
}

/** A built table (or set of routers), ready to answer. */
export interface Built {
  /**
   * One request as the timed loop makes it: the backend key of the answer, undefined for
   * none. Every subject reads its answer, as a proxy does next; returning the route unread
   * would leave the fetch of it (a cache miss in a big table) out of `lookup` and raw
   * find-my-way but not out of `match`, which copies the route's fields.
   */
  readonly call: (host: string, path: string, request?: GatewayRequest) => string | undefined;
  /** The answer as a key, for the check against the reference. */
  readonly answer: (host: string, path: string, request?: GatewayRequest) => AnswerKey;
}

function matchSubject(id: SubjectId, engine: MatchEngine): Subject {
  return {
    id,
    label: `match · ${engine.label}`,
    table: 'ingress',
    hostInput: 'host',
    ownBuild: true,
    build(core, { ingresses }) {
      const { table } = core.compile({ ingresses, pathMatcher: engine.pathMatcher(core) });
      return { call: (host, path) => table.match(host, path)?.backendKey, answer: (host, path) => routeKey(table.match(host, path)) };
    },
  };
}

export const SUBJECTS: readonly Subject[] = [
  matchSubject('trie-match', SEGMENT_TRIE),
  matchSubject('hash-match', PREFIX_HASH),
  matchSubject('fmw-match', FIND_MY_WAY),
  {
    id: 'trie-lookup',
    label: `lookup · ${SEGMENT_TRIE.label}`,
    table: 'ingress',
    hostInput: 'host',
    ownBuild: false,
    build(core, { ingresses }) {
      const { table } = core.compile({ ingresses, pathMatcher: SEGMENT_TRIE.pathMatcher(core) });
      return { call: (host, path) => table.lookup(host, path)?.backendKey, answer: (host, path) => routeKey(table.lookup(host, path)) };
    },
  },
  {
    id: 'raw-fmw',
    label: 'raw find-my-way',
    table: 'ingress',
    hostInput: 'router-key',
    ownBuild: true,
    build(_core, { ingresses }) {
      const routers = buildRawRouters(ingresses);
      return { call: (key, path) => (routers.get(key)?.find('GET', path)?.store as RawRoute | undefined)?.backendKey, answer: (key, path) => rawAnswer(routers, key, path) };
    },
  },
  {
    id: 'gateway-find',
    label: 'find · Gateway API (HTTPRoute)',
    table: 'gateway',
    hostInput: 'host',
    ownBuild: true,
    build(core, { gateways, httpRoutes }) {
      const { table } = core.compile({ ingresses: [], gateways: gateways ?? [], httpRoutes: httpRoutes ?? [], gatewayClass: GATEWAY_CLASS });
      // A compare base from before the Gateway API has no `gatewayPort`: say so instead of a TypeError per call.
      if (typeof table.gatewayPort !== 'function') throw new Error('this core has no Gateway API (RouteTable.gatewayPort): leave gateway-find out of --subjects');
      // Per call, as the proxy does: the port's index, listener by Host, hostname tiers, path, conditions; then the
      // backend of the rule (the proxy picks among `rule.backends` next).
      return {
        call: (host, path, request) => table.gatewayPort(GATEWAY_PORT)?.find(host, path, request!)?.rule.backends[0]?.route?.backendKey,
        answer: (host, path, request) => gatewayMatchKey(table.gatewayPort(GATEWAY_PORT)?.find(host, path, request!)),
      };
    },
  },
];

export function subjectById(id: SubjectId): Subject {
  const subject = SUBJECTS.find((candidate) => candidate.id === id);
  if (subject === undefined) throw new Error(`unknown subject ${id}`);
  return subject;
}

/** The host a subject is handed for a request. */
export function hostFor(subject: Subject, request: { readonly host: string; readonly routerKey: string }): string {
  return subject.hostInput === 'router-key' ? request.routerKey : request.host;
}
