import type { Environment } from '../common/environment.js';
import type { BenchOptions } from './options.js';
import type { CaseResult, SizeInfo, TimingResult } from './runner.js';
import { tableLabel } from './sizes.js';
import { SUBJECTS } from './subjects.js';
import { ms, ns, ratio } from '../common/format.js';
import type { GatewayTargetResult, TargetResult } from './targets.js';

export interface Report {
  readonly environment: Environment;
  readonly options: BenchOptions;
  readonly sizes: readonly SizeInfo[];
  readonly cases: readonly CaseResult[];
  readonly targets: readonly TargetResult[];
  /** The Gateway API target, when gateway-find ran. */
  readonly gatewayTargets: readonly GatewayTargetResult[];
}

/** The run as markdown: the command and machine, the results table, the targets. */
export function renderReport(report: Report): string {
  const { environment: env, options } = report;
  const lines = [
    '## Match benchmark',
    '',
    `\`${env.command}\` · ${env.date} · Node ${env.node} (V8 ${env.v8}) · ${env.cpu}, ${env.cores} cores, ${env.memoryGiB} GiB · ${env.os}`,
    '',
    `Seed ${options.seed}; per size ${options.sample.toLocaleString('en-US')} hits and ${options.sample.toLocaleString('en-US')} misses, every one checked against the reference matcher before timing; ` +
      `${options.rounds} rounds of about ${options.batchMs} ms per case and kind, interleaved across all sizes and subjects, each case in its own process, ` +
      `${options.reuseStrings ? 'the same string objects on every pass (hashes cached: flattering)' : 'new Host and path strings for every call, as from a socket'}. ` +
      'Times are ns per call: median of the rounds (min–max). ÷ raw: time over raw find-my-way on the same requests.',
    '',
    '| table | subject | compile | heap | hit | miss | hit ÷ raw | miss ÷ raw |',
    '| --- | --- | --: | --: | --: | --: | --: | --: |',
  ];
  for (const size of report.sizes) {
    const cases = report.cases.filter((c) => c.paths === size.paths && c.table === size.table);
    const raw = cases.find((c) => c.subject === 'raw-fmw');
    for (const c of cases) {
      const build = c.build ? [`${ms(c.build.medianMs)}${c.build.compileMs.length === 1 ? ' ¹' : ''}`, bytes(c.build.heapBytes)] : ['(as above)', '(as above)'];
      lines.push(
        `| ${tableLabel(size.table, size)} | ${c.label} | ${build.join(' | ')} | ${timing(c.timings.hits)} | ${timing(c.timings.misses)} | ` +
          `${raw ? ratio(c.timings.hits.median / raw.timings.hits.median) : '–'} | ${raw ? ratio(c.timings.misses.median / raw.timings.misses.median) : '–'} |`,
      );
    }
  }
  if (report.cases.some((c) => c.build?.compileMs.length === 1)) {
    lines.push('', '¹ a single build: one took longer than the compile-time budget.');
  }

  const subjects = SUBJECTS.filter((s) => report.targets.some((t) => t.subject === s.id));
  lines.push('', '### Targets', '', `| target | ${subjects.map((s) => s.label).join(' | ')} |`, `| --- | ${subjects.map(() => '---').join(' | ')} |`);
  for (const target of [...new Set(report.targets.map((t) => t.target))]) {
    const cells = subjects.map((s) => {
      const result = report.targets.find((t) => t.target === target && t.subject === s.id);
      if (result === undefined || result.met === undefined) return 'not run';
      return `${result.measured}: ${result.met ? '**met**' : '**not met**'}`;
    });
    lines.push(`| ${target} | ${cells.join(' | ')} |`);
  }

  if (report.gatewayTargets.length > 0) {
    lines.push('', '### Gateway API target', '', '| target | measured: median of the rounds (lowest–highest) | met |', '| --- | --- | --- |');
    for (const t of report.gatewayTargets) lines.push(`| ${t.target} | ${t.measured} | ${t.met === undefined ? '–' : t.met ? '**met**' : '**not met**'} |`);
  }

  lines.push('', '### Workloads', '', '| table | objects | conflicts | hits sampled | misses sampled |', '| --- | --: | --: | --- | --- |');
  for (const size of report.sizes) {
    const objects = size.table === 'gateway' ? `${size.httpRoutes ?? 0} HTTPRoutes` : `${size.ingresses.toLocaleString('en-US')} Ingresses`;
    const conflicts = size.table === 'gateway' ? `0 (${size.sharedPathMatches ?? 0} matches share a path)` : String(size.conflicts);
    lines.push(`| ${tableLabel(size.table, size)} | ${objects} | ${conflicts} | ${mix(size.hits)} | ${mix(size.misses)} |`);
  }
  return lines.join('\n');
}

function timing(result: TimingResult): string {
  return `${ns(result.median)} (${Math.round(result.min)}–${Math.round(result.max)})`;
}

function bytes(value: number): string {
  const mib = value / 2 ** 20;
  return Math.abs(mib) < 1 ? `${Math.round(value / 1024)} KiB` : `${mib.toFixed(1)} MiB`;
}

function mix(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([category, count]) => `${category} ${count}`)
    .join(', ');
}
