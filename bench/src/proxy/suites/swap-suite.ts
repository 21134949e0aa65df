import { join } from 'node:path';
import { sizeByPaths, sizeLabel } from '../../match/sizes.js';
import { churnRoundVerdict, CLI_CHURNING, CLI_STATIC, ROUTED_WITHIN_MS } from '../churn-schedule.js';
import { CHURN_FILES, CHURN_HOSTS, churnRequestList, writeChurnTable } from '../churn-table.js';
import { cliChurningTarget, cliStaticTarget, sharedStart, startCli } from '../cli-targets.js';
import { requestListFor } from '../request-list.js';
import type { TableSpec } from '../route-tables.js';
import type { RunContext } from '../target.js';
import { swappingSwitchyardTarget, switchyardTarget } from '../targets.js';
import type { Suite } from './suite.js';

/** Table swaps per timed window. */
export const SWAPS_PER_ROUND = 100;
const PATHS = 1_000;

/**
 * Table swaps under load, two pairs. In process: Switchyard on the 1,000-path table, swapping
 * 100 times per round between it and the same rules through other backends
 * (`router.update(compile(...).table)`, compiled anew each time, as a reload does), against the
 * same target without swaps. Through the CLI (`switchyard serve -f DIR` on 10,000 paths in 100
 * files): one file rewritten per second, against the same without changes. Every answer must
 * be a 2xx, every swap must happen and every change be routed within a second, or the run fails.
 */
export function swapSuite(context: RunContext): Suite {
  const spec: TableSpec = { kind: 'generated', paths: PATHS, seed: context.options.seed };
  const requests = requestListFor(spec, context.options.requestList);
  const upstream = context.smallUpstream;
  const size = sizeLabel(sizeByPaths(PATHS)!);
  const churnRequests = churnRequestList(context.options.seed);
  // One CLI process for the pair: the ratios compare it with changes and without, not two processes.
  const churnDir = writeChurnTable(join(context.scratchDir, 'cli-churn'), upstream.address.port);
  const churnCli = sharedStart(() => startCli(context, 'cli-churn', churnDir));
  const cli = (id: string, label: string) => ({ id, label, requests: churnRequests, expectation: { kind: 'small' } as const, upstream });
  const cliSize = `10,000 paths in ${CHURN_FILES} files, ${CHURN_HOSTS} hosts`;
  return {
    id: 'swaps',
    title: `Table swaps during load (${size}, ${SWAPS_PER_ROUND} swaps per round) and config churn through the CLI (${cliSize}, a file rewritten per second)`,
    unit: 'request',
    baseline: 'swaps-static',
    cpuFloor: undefined,
    targets: [
      switchyardTarget(context, { id: 'swaps-static', label: `Switchyard, ${size}, no swaps`, requests, expectation: { kind: 'small' }, upstream }, spec),
      swappingSwitchyardTarget(context, { id: 'swaps-swapping', label: `Switchyard, ${size}, ${SWAPS_PER_ROUND} swaps`, requests, expectation: { kind: 'small' }, upstream }, spec, SWAPS_PER_ROUND),
      cliStaticTarget(context, cli(CLI_STATIC, `switchyard serve -f, ${cliSize}, no changes`), churnDir, churnCli),
      cliChurningTarget(context, cli(CLI_CHURNING, `switchyard serve -f, ${cliSize}, a file rewritten per second`), churnDir, churnCli),
    ],
    // Each pair back to back in a round, its order alternating: the CLI pair's two windows are the same process's.
    groupSize: 2,
    absent: [],
    durationS: context.options.scenarioDurationS,
    errorFree: true,
    throughput: false,
    notes: [
      `Each swap compiles the other table (${size}) in the proxy's process while it serves, then \`router.update(table)\`; the two tables route every request to the same upstream through different backends, so each swap also watches new backends.`,
      `The CLI pair: one \`switchyard serve -f DIR\` process with its defaults (watching the files, metrics and admin on), measured in two windows per round, back to back in alternating order: without changes and with them, so its ratios compare the same process both ways. The directory: ${CHURN_FILES} Ingress files of 100 paths (5 hosts of 20 paths each, every host shared by 5 files) and services.yaml. ` +
        `The load asks for ${churnRequests.requests.length.toLocaleString('en-US')} routes (10 per file) on all ${CHURN_HOSTS} hosts. Once a second (0.5 s, 1.5 s, ... into the window) the orchestrator rewrites one file (written aside, renamed over) with one path renamed: ` +
        `its last block's last path, an Exact path the load never asks for, so every request routes the same throughout; then waits for the CLI's reload line on stderr and asks the admin /explain once that the new rule takes the new path (the delay below, to that line; over ${ROUTED_WITHIN_MS / 1000} s fails the round). ` +
        'One answer, not one every 5 ms until the rule takes the path: each costs the proxy\'s core about 0.6 ms of CPU (the host\'s 100 candidates), and some 30 per change weighed as much as the change.',
    ],
    verifyRound: (during) =>
      during.swaps === undefined ? churnRoundVerdict(during) : during.swaps === SWAPS_PER_ROUND ? undefined : `${during.swaps} swaps of ${SWAPS_PER_ROUND} happened`,
  };
}
