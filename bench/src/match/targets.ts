import { ms, ns, ratio, spreadRatio } from '../common/format.js';
import { spread, type Spread } from '../common/stats.js';
import type { RequestKind } from './protocol.js';
import type { CaseResult } from './runner.js';
import type { SubjectId } from './subjects.js';

/** The targets, checked for both path matchers so the report shows which engine meets them. */
export interface TargetResult {
  readonly target: string;
  readonly subject: SubjectId;
  /** The measured value(s), as the report prints them. */
  readonly measured: string;
  /** Undefined when the sizes it needs were not run. */
  readonly met: boolean | undefined;
}

const MATCH_NS_AT_10K = 300;
const SCALING_LIMIT = 1.5;
const COMPILE_MS_AT_10K = 150;

export const TARGET_SUBJECTS: readonly SubjectId[] = ['trie-match', 'hash-match', 'fmw-match'];

export function evaluateTargets(cases: readonly CaseResult[]): TargetResult[] {
  const find = (subject: SubjectId, paths: number) => cases.find((c) => c.subject === subject && c.paths === paths);
  return TARGET_SUBJECTS.flatMap((subject): TargetResult[] => {
    const small = find(subject, 10);
    const mid = find(subject, 10_000);
    const large = find(subject, 100_000);
    const results: TargetResult[] = [];
    results.push(
      mid
        ? {
            target: `median \`match\` ≤ ${MATCH_NS_AT_10K} ns at 10,000 paths (hits / misses)`,
            subject,
            measured: `${ns(mid.timings.hits.median)} / ${ns(mid.timings.misses.median)}`,
            met: mid.timings.hits.median <= MATCH_NS_AT_10K && mid.timings.misses.median <= MATCH_NS_AT_10K,
          }
        : notRun(`median \`match\` ≤ ${MATCH_NS_AT_10K} ns at 10,000 paths (hits / misses)`, subject),
    );
    const scalingTarget = `\`match\` at 100,000 paths ≤ ${SCALING_LIMIT}× the time at 10 (hits / misses)`;
    if (small && large) {
      const hits = large.timings.hits.median / small.timings.hits.median;
      const misses = large.timings.misses.median / small.timings.misses.median;
      results.push({ target: scalingTarget, subject, measured: `${ratio(hits)} / ${ratio(misses)}`, met: hits <= SCALING_LIMIT && misses <= SCALING_LIMIT });
    } else {
      results.push(notRun(scalingTarget, subject));
    }
    const compileTarget = `compile 10,000 paths ≤ ${COMPILE_MS_AT_10K} ms (median)`;
    results.push(
      mid?.build ? { target: compileTarget, subject, measured: ms(mid.build.medianMs), met: mid.build.medianMs <= COMPILE_MS_AT_10K } : notRun(compileTarget, subject),
    );
    return results;
  });
}

function notRun(target: string, subject: SubjectId): TargetResult {
  return { target, subject, measured: 'not run', met: undefined };
}

/** A Gateway API target row: measured against an Ingress subject of the same run. */
export interface GatewayTargetResult {
  readonly target: string;
  readonly measured: string;
  /** Undefined for a row shown for comparison only, or when a case it needs was not run. */
  readonly met: boolean | undefined;
}

const GATEWAY_LIMIT = 1.5;
const GATEWAY_REFERENCE_PATHS = 1_000;

/**
 * The Gateway API issue's target: `find` on 1,000 HTTPRoute rules within 1.5× the time of
 * the 1,000-path Ingress table's `match` (the default engine), hits and misses each. Paired:
 * the ratio within each round, then the median (lowest–highest), as in `bench:compare`. Also,
 * for comparison, the ratio to `lookup` on the same Ingress table, which like `find` takes a
 * Host and path already normalized and allocates nothing. Empty when gateway-find did not run.
 */
export function evaluateGatewayTargets(cases: readonly CaseResult[]): GatewayTargetResult[] {
  const gateway = cases.find((c) => c.subject === 'gateway-find' && c.tree === 'working');
  if (gateway === undefined) return [];
  const reference = (subject: SubjectId) => cases.find((c) => c.table === 'ingress' && c.subject === subject && c.paths === GATEWAY_REFERENCE_PATHS && c.tree === 'working');
  const rows: GatewayTargetResult[] = [];
  const against = (subject: SubjectId, target: string, judged: boolean): void => {
    const other = reference(subject);
    if (other === undefined) {
      rows.push({ target, measured: `not run (needs --sizes ${GATEWAY_REFERENCE_PATHS} and --subjects ${subject})`, met: undefined });
      return;
    }
    const hits = paired(gateway, other, 'hits');
    const misses = paired(gateway, other, 'misses');
    rows.push({ target, measured: `${spreadRatio(hits)} / ${spreadRatio(misses)}`, met: judged ? hits.median <= GATEWAY_LIMIT && misses.median <= GATEWAY_LIMIT : undefined });
  };
  against('trie-match', `\`find\` ≤ ${GATEWAY_LIMIT}× the 1,000-path Ingress table's \`match\` (hits / misses, paired per round)`, true);
  against('trie-lookup', 'for comparison: ÷ the 1,000-path Ingress table\'s `lookup` (no normalization, no allocation, as `find`)', false);
  return rows;
}

/** The ratio of two cases' times within each round, then the median and range. */
function paired(a: CaseResult, b: CaseResult, kind: RequestKind): Spread {
  const ratios = a.timings[kind].rounds.map((value, round) => value / b.timings[kind].rounds[round]!).filter(Number.isFinite);
  return spread(ratios);
}
