import type { Route } from '../route.js';
import type { CompiledRule, Tier } from './compiled-rule.js';

export type CandidateOutcome = 'won' | 'lost' | 'not-reached' | 'no-match' | 'shadowed';

/** One rule considered for a request. */
export interface ExplainCandidate {
  readonly route: Route;
  readonly tier: Tier;
  readonly outcome: CandidateOutcome;
  /** Path elements of the rule (0 for `/` and the default backend). */
  readonly elements: number;
  readonly reason: string;
}

/** Why a request goes where it goes. */
export interface Explanation {
  /** The normalized Host and path that were matched. */
  readonly host: string;
  readonly path: string;
  readonly winner: Route | undefined;
  /** Tier by tier; within a tier, matching rules by precedence, then the others. */
  readonly candidates: readonly ExplainCandidate[];
}

const TIER_NAMES: Record<Tier, string> = {
  'exact-host': 'the exact host',
  'wildcard-host': 'the wildcard host',
  'any-host': 'rules without a host',
  'default-backend': 'the default backend',
};

export function explainRequest(
  host: string,
  path: string,
  winner: Route | undefined,
  tiers: ReadonlyArray<{ tier: Tier; rules: readonly CompiledRule[] }>,
): Explanation {
  const candidates: ExplainCandidate[] = [];
  const winnerTier = tiers.find(({ rules }) => rules.some((rule) => rule.route === winner))?.tier;
  let passedWinner = false;
  for (const { tier, rules } of tiers) {
    const ordered = [...rules].sort((a, b) => precedence(a, b, path));
    for (const rule of ordered) {
      candidates.push({ route: rule.route, tier, elements: rule.elements, ...judge(rule, tier, path, winner, winnerTier, passedWinner) });
    }
    if (tier === winnerTier) passedWinner = true;
  }
  return { host, path, winner, candidates };
}

function judge(
  rule: CompiledRule,
  tier: Tier,
  path: string,
  winner: Route | undefined,
  winnerTier: Tier | undefined,
  afterWinnerTier: boolean,
): { outcome: CandidateOutcome; reason: string } {
  const shown = describe(rule.route);
  if (rule.shadowedBy) {
    return { outcome: 'shadowed', reason: `${shown} duplicates ${describe(rule.shadowedBy)}, which is older and takes its place` };
  }
  if (rule.route === winner) {
    if (tier === 'default-backend') return { outcome: 'won', reason: `no rule matched, so the default backend of ${ref(rule.route)} serves` };
    const kind = rule.kind === 'exact' ? 'an Exact match' : `a Prefix match of ${rule.elements} element${rule.elements === 1 ? '' : 's'}`;
    return { outcome: 'won', reason: `${shown} is ${kind}, the best in ${TIER_NAMES[tier]}` };
  }
  if (tier === 'default-backend') {
    return { outcome: 'not-reached', reason: `a rule matched, so the default backend of ${ref(rule.route)} is not used` };
  }
  if (!ruleMatches(rule, path)) {
    const why = rule.kind === 'exact' ? `the request path is not exactly ${rule.route.path}` : `${rule.matchKey} is not a prefix of the request path by whole elements`;
    return { outcome: 'no-match', reason: `${shown} does not match: ${why}` };
  }
  if (afterWinnerTier || (winnerTier !== undefined && tier !== winnerTier)) {
    return { outcome: 'not-reached', reason: `${shown} matches, but ${TIER_NAMES[winnerTier!]} matched first` };
  }
  return { outcome: 'lost', reason: `${shown} matches, but ${winner ? describe(winner) : 'another rule'} is longer or Exact` };
}

/** Whether a rule matches a normalized path, straight from the spec (for explain only). */
export function ruleMatches(rule: CompiledRule, path: string): boolean {
  if (rule.route.isDefaultBackend) return true;
  if (rule.kind === 'exact') return path === rule.matchKey;
  return rule.matchKey === '/' || path === rule.matchKey || path.startsWith(rule.matchKey + '/');
}

function precedence(a: CompiledRule, b: CompiledRule, path: string): number {
  const am = ruleMatches(a, path) && !a.shadowedBy;
  const bm = ruleMatches(b, path) && !b.shadowedBy;
  if (am !== bm) return am ? -1 : 1;
  if (a.elements !== b.elements) return b.elements - a.elements;
  if (a.kind !== b.kind) return a.kind === 'exact' ? -1 : 1;
  return 0;
}

function describe(route: Route): string {
  if (route.isDefaultBackend) return `the default backend of ${ref(route)}`;
  return `${route.pathType} ${route.path} on ${route.host ?? 'any host'} (${ref(route)} ${route.field})`;
}

function ref(route: Route): string {
  return `${route.origin.namespace}/${route.origin.name}`;
}
