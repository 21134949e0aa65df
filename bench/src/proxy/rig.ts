import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from '../common/script.js';
import { LoadDriver } from './load-driver.js';
import type { ProxyBenchOptions } from './options.js';
import { planPinning } from './pinning.js';
import type { RunContext, RunningUpstream } from './target.js';
import { startGrpcUpstream, startNginxUpstream, startNodeUpstream } from './targets.js';
import { detectTools, ensureH2load } from './tools.js';

/**
 * Sets up what every proxy run stands on (the tools found, the pinning, a scratch directory,
 * this run's token, the upstreams, the pinned load generator), hands it to `use`, and takes
 * it all down afterwards, whatever happens. `bench:proxy` and `bench:compare --proxy` share it.
 */
export async function withProxyRig<T>(options: ProxyBenchOptions, cores: number, log: Log, use: (context: RunContext, load: LoadDriver) => Promise<T>): Promise<T> {
  const detected = detectTools();
  const tools = options.scenarios.includes('h2') ? ensureH2load(detected, log) : detected;
  const pinning = planPinning(tools.taskset?.path, cores);
  log(`tools: taskset ${tools.taskset ? 'found' : 'absent'}, nginx ${tools.nginx ? 'found' : 'absent'}, wrk ${tools.wrk ? 'found' : 'absent'}, h2load ${tools.h2load ? 'found' : 'absent'}`);
  const scratchDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-proxy-'));
  const token = randomBytes(6).toString('hex');
  const upstreams: RunningUpstream[] = [];
  let load: LoadDriver | undefined;
  try {
    const nodeUpstream = await startNodeUpstream({ pinning, token });
    upstreams.push(nodeUpstream);
    const smallUpstream = tools.nginx ? await startNginxUpstream({ scratchDir, pinning, token }, tools.nginx.path) : nodeUpstream;
    if (smallUpstream !== nodeUpstream) upstreams.push(smallUpstream);
    log(`upstream: ${smallUpstream.label} at ${smallUpstream.url}${smallUpstream === nodeUpstream ? ' (nginx is not on PATH)' : ''}`);
    const grpcUpstream = options.scenarios.includes('grpc') ? await startGrpcUpstream({ pinning, token }) : undefined;
    if (grpcUpstream) upstreams.push(grpcUpstream);
    load = await LoadDriver.start(pinning, options.wrk ? tools.wrk?.path : undefined, scratchDir, tools.h2load?.path);
    return await use({ options, pinning, tools, token, scratchDir, smallUpstream, nodeUpstream, ...(grpcUpstream ? { grpcUpstream } : {}) }, load);
  } finally {
    await load?.close();
    await Promise.all(upstreams.map((upstream) => upstream.process.stop()));
    rmSync(scratchDir, { recursive: true, force: true });
  }
}
