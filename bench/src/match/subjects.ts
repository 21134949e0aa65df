import type { Ingress } from '@switchyard/core';
import { routeKey, type AnswerKey } from './answer-key.js';
import type { CoreUnderTest } from './core-under-test.js';
import { FIND_MY_WAY, PREFIX_HASH, SEGMENT_TRIE, type MatchEngine } from './match-engines.js';
import { buildRawRouters, rawAnswer, type RawRoute } from './raw-find-my-way.js';

/** The things the benchmark times, each in a process of its own. */
export type SubjectId = 'trie-match' | 'hash-match' | 'fmw-match' | 'trie-lookup' | 'raw-fmw';

export interface Subject {
  readonly id: SubjectId;
  readonly label: string;
  /**
   * What a request hands it as the host: the Host itself, or the rule host that answers
   * (raw find-my-way has no host tiers, so it is told which router to ask). Paths and Hosts
   * are in normal form already (the orchestrator asserts it), as `lookup` takes them.
   */
  readonly hostInput: 'host' | 'router-key';
  /** Whether its build time and heap are its own; `lookup` reads the same table as `match`. */
  readonly ownBuild: boolean;
  /** Builds it with the core under test (raw find-my-way uses none). */
  build(core: CoreUnderTest, ingresses: readonly Ingress[]): Built;
}

/** A built table (or set of routers), ready to answer. */
export interface Built {
  /**
   * One request as the timed loop makes it: the backend key of the answer, undefined for
   * none. Every subject reads its answer, as a proxy does next; returning the route unread
   * would leave the fetch of it (a cache miss in a big table) out of `lookup` and raw
   * find-my-way but not out of `match`, which copies the route's fields.
   */
  readonly call: (host: string, path: string) => string | undefined;
  /** The answer as a key, for the check against the reference. */
  readonly answer: (host: string, path: string) => AnswerKey;
}

function matchSubject(id: SubjectId, engine: MatchEngine): Subject {
  return {
    id,
    label: `match · ${engine.label}`,
    hostInput: 'host',
    ownBuild: true,
    build(core, ingresses) {
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
    hostInput: 'host',
    ownBuild: false,
    build(core, ingresses) {
      const { table } = core.compile({ ingresses, pathMatcher: SEGMENT_TRIE.pathMatcher(core) });
      return { call: (host, path) => table.lookup(host, path)?.backendKey, answer: (host, path) => routeKey(table.lookup(host, path)) };
    },
  },
  {
    id: 'raw-fmw',
    label: 'raw find-my-way',
    hostInput: 'router-key',
    ownBuild: true,
    build(_core, ingresses) {
      const routers = buildRawRouters(ingresses);
      return { call: (key, path) => (routers.get(key)?.find('GET', path)?.store as RawRoute | undefined)?.backendKey, answer: (key, path) => rawAnswer(routers, key, path) };
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
