import type { Environment } from '../common/environment.js';
import { count, ns, spreadRatio } from '../common/format.js';
import type { Spread } from '../common/stats.js';
import type { MatchComparison } from './match-compare.js';
import type { PairedRow } from './paired-row.js';
import type { ProxyComparison } from './proxy-compare.js';

export interface CompareReport {
  readonly environment: Environment;
  readonly base: { readonly ref: string; readonly commit: string };
  readonly working: { readonly commit: string; readonly changedFiles: number };
  readonly match: MatchComparison | undefined;
  readonly proxy: ProxyComparison | undefined;
}

/** The compare as markdown: which commits, then one table per benchmark. */
export function renderCompareReport(report: CompareReport): string {
  const { environment: env, base, working } = report;
  const lines = [
    '## Compare: working tree against base',
    '',
    `\`${env.command}\` · ${env.date} · Node ${env.node} · ${env.cpu}, ${env.cores} cores, ${env.memoryGiB} GiB · ${env.os}`,
    '',
    `Base: \`${base.ref}\` = ${base.commit.slice(0, 10)}. Working tree: ${working.commit.slice(0, 10)}${working.changedFiles > 0 ? ` with ${working.changedFiles} changed file(s)` : ''}.`,
    '',
    'Each row: the median of the rounds on each side (lowest–highest), and **working ÷ base** paired: the two sides ran back to back in every round ' +
      '(A B, then B A), their ratio is taken within each round, and the median of those ratios is shown with the lowest and highest. ' +
      'For times (ns/call, CPU µs/req) below 1 means the working tree is faster; for req/s above 1 does. ' +
      'A range that stays on one side of 1 is a difference every round saw; one that spans 1 is within this run\'s noise.',
  ];
  const { match, proxy } = report;
  if (match) {
    const { options } = match;
    const noise = options.subjects.includes('raw-fmw') ? ' Raw find-my-way runs the same code on both sides: its ratios show how far this run\'s noise goes.' : '';
    const intro = `${options.rounds} rounds of about ${options.batchMs} ms per case and kind; ${options.sample.toLocaleString('en-US')} hits and misses each per size, every one checked against the reference matcher on both sides before timing; each case in its own process, loading its tree's \`@switchyard/core\`.`;
    lines.push(...section('Match: route lookups', intro + noise, match.rows));
  }
  if (proxy) {
    const intro = `${proxy.suite.rounds} rounds of ${proxy.suite.durationS} s per target; each target started from its tree's \`bench/src/proxy/servers/switchyard.ts\` and checked for correct routing before timing; the same upstream and load for both.`;
    lines.push(...section('Proxy: Switchyard under load', intro, proxy.rows));
  }
  return lines.join('\n');
}

/** A heading, what was run, and the table: subject, measure, both medians, the paired ratio. */
function section(title: string, intro: string, rows: readonly PairedRow[]): string[] {
  const lines = ['', `### ${title}`, '', intro, '', '| subject | measure | base | working tree | working ÷ base |', '| --- | --- | --: | --: | --: |'];
  for (const row of rows) {
    const [format, unit] = row.measure.endsWith('ns/call') ? [(v: number) => ns(v).replace(' ns', ''), ' ns'] : [count, ''];
    const cell = (value: Spread) => `${format(value.median)}${unit} (${format(value.min)}–${format(value.max)})`;
    lines.push(`| ${row.subject} | ${row.measure} | ${cell(row.base)} | ${cell(row.working)} | ${row.ratio ? spreadRatio(row.ratio) : '–'} |`);
  }
  return lines;
}
