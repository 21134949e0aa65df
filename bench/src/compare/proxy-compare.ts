import { BenchError } from '../common/errors.js';
import type { Log } from '../common/script.js';
import { GATEWAY_TABLE } from '../match/gateway-workload.js';
import { sizeByPaths, sizeLabel, tableLabel } from '../match/sizes.js';
import { requestListFor, singleRouteList } from '../proxy/request-list.js';
import { withProxyRig } from '../proxy/rig.js';
import type { TableSpec } from '../proxy/route-tables.js';
import { runSuite, type RoundResult, type SuiteResult } from '../proxy/runner.js';
import type { Suite } from '../proxy/suites/suite.js';
import type { RunContext, Target } from '../proxy/target.js';
import { switchyardTarget } from '../proxy/targets.js';
import { benchFile } from './base-tree.js';
import type { CompareOptions, CompareTargetId } from './options.js';
import { pairedRow, type PairedRow } from './paired-row.js';

export interface ProxyComparison {
  readonly suite: SuiteResult;
  readonly rows: readonly PairedRow[];
}

/** The base's Switchyard server entry, which its own tree must have (it did from the first proxy benchmark on). */
const SERVER_ENTRY = 'proxy/servers/switchyard.ts';

/**
 * The proxy benchmark's Switchyard targets on both trees: each target started from the
 * working tree's server entry and from the base's (`bench/src/proxy/servers/switchyard.ts`
 * of each checkout, so each loads its own `@switchyard/core` and `@switchyard/fastify`), the
 * same upstream, load and requests, every answer checked before timing, then interleaved
 * rounds (A B, B A, ...: the two trees of a target back to back).
 */
export async function compareProxy(options: NonNullable<CompareOptions['proxy']>, baseRoot: string, cores: number, log: Log): Promise<ProxyComparison> {
  if (benchFile(baseRoot, SERVER_ENTRY) === undefined) {
    throw new BenchError('SWY_BENCH_BASE_FAILED', `the base has no bench/src/${SERVER_ENTRY} to start; compare it with --match only`, { field: '--base' });
  }
  const suite = await withProxyRig(options, cores, log, (context, load) => runSuite(compareSuite(context, options.compareTargets, `${baseRoot}/bench`), context, load, log));
  const rows: PairedRow[] = [];
  for (let i = 0; i < suite.targets.length; i += 2) {
    const [working, base] = [suite.targets[i]!, suite.targets[i + 1]!];
    const of = (pick: (r: RoundResult) => number) => [working.rounds.map(pick), base.rounds.map(pick)] as const;
    const label = working.label.replace(' (working tree)', '');
    rows.push(pairedRow(label, 'req/s', false, ...of((r) => r.rate)));
    rows.push(pairedRow(label, 'CPU µs/req', true, ...of((r) => r.cpuUsPerUnit)));
  }
  return { suite, rows };
}

/** The table a compare target serves, and its label. */
function compareTable(id: CompareTargetId, seed: number): { spec: TableSpec; label: string } {
  // The base must know the Gateway API table too (its bench/ has this target), or its server fails to start.
  if (id === 'switchyard-gateway-1k') return { spec: { kind: 'gateway', seed }, label: `Switchyard, Gateway API: ${tableLabel('gateway', GATEWAY_TABLE)}` };
  const paths = id === 'switchyard-1' ? 1 : id === 'switchyard-1k' ? 1_000 : 10_000;
  return { spec: paths === 1 ? { kind: 'single' } : { kind: 'generated', paths, seed }, label: `Switchyard, ${paths === 1 ? '1 path' : sizeLabel(sizeByPaths(paths)!)}` };
}

/** The targets in pairs, working tree first: `runSuite` measures each pair back to back (`groupSize: 2`). */
function compareSuite(context: RunContext, ids: readonly CompareTargetId[], baseBenchDir: string): Suite {
  const upstream = context.smallUpstream;
  const targets: Target[] = [];
  for (const id of ids) {
    const { spec, label } = compareTable(id, context.options.seed);
    const requests = spec.kind === 'single' ? singleRouteList() : requestListFor(spec, context.options.requestList);
    const basics = (tree: 'working' | 'base') => ({ id: `${id}-${tree}`, label: `${label} (${tree === 'working' ? 'working tree' : 'base'})`, requests, expectation: { kind: 'small' } as const, upstream });
    targets.push(switchyardTarget(context, basics('working'), spec), switchyardTarget(context, basics('base'), spec, {}, baseBenchDir));
  }
  return {
    id: 'compare',
    title: 'Switchyard: working tree against base',
    unit: 'request',
    baseline: undefined,
    cpuFloor: undefined,
    targets,
    absent: [],
    durationS: context.options.durationS,
    errorFree: false,
    throughput: false,
    notes: [],
    groupSize: 2,
  };
}
