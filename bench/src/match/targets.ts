import { ms, ns, ratio } from '../common/format.js';
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
