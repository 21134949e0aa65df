import { sizeByPaths, sizeLabel } from '../../match/sizes.js';
import { requestListFor } from '../request-list.js';
import type { TableSpec } from '../route-tables.js';
import type { RunContext } from '../target.js';
import { swappingSwitchyardTarget, switchyardTarget } from '../targets.js';
import type { Suite } from './suite.js';

/** Table swaps per timed window. */
export const SWAPS_PER_ROUND = 100;
const PATHS = 1_000;

/**
 * Table swaps under load: Switchyard on the 1,000-path table, swapping 100 times per round
 * between it and the same rules through other backends (`router.update(compile(...).table)`,
 * compiled anew each time, as a reload does), against the same target without swaps. Every
 * answer must be a 2xx and every swap must happen, or the run fails.
 */
export function swapSuite(context: RunContext): Suite {
  const spec: TableSpec = { kind: 'generated', paths: PATHS, seed: context.options.seed };
  const requests = requestListFor(spec, context.options.requestList);
  const upstream = context.smallUpstream;
  const size = sizeLabel(sizeByPaths(PATHS)!);
  return {
    id: 'swaps',
    title: `Table swaps during load (${size}, ${SWAPS_PER_ROUND} swaps per round)`,
    unit: 'request',
    baseline: 'swaps-static',
    cpuFloor: undefined,
    targets: [
      switchyardTarget(context, { id: 'swaps-static', label: `Switchyard, ${size}, no swaps`, requests, expectation: { kind: 'small' }, upstream }, spec),
      swappingSwitchyardTarget(context, { id: 'swaps-swapping', label: `Switchyard, ${size}, ${SWAPS_PER_ROUND} swaps`, requests, expectation: { kind: 'small' }, upstream }, spec, SWAPS_PER_ROUND),
    ],
    absent: [],
    durationS: context.options.scenarioDurationS,
    errorFree: true,
    throughput: false,
    notes: [
      `Each swap compiles the other table (${size}) in the proxy's process while it serves, then \`router.update(table)\`; the two tables route every request to the same upstream through different backends, so each swap also watches new backends.`,
    ],
    verifyRound: (during) => (during.swaps === SWAPS_PER_ROUND ? undefined : `${during.swaps ?? 0} swaps of ${SWAPS_PER_ROUND} happened`),
  };
}
