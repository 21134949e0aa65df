import { describe, expect, test } from 'vitest';
import { BenchError } from '../src/common/errors.js';
import { DEFAULT_OPTIONS, parseOptions, SCENARIO_IDS, TARGET_IDS } from '../src/proxy/options.js';

function thrown(argv: string[]): BenchError {
  try {
    parseOptions(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(BenchError);
    return error as BenchError;
  }
  throw new Error(`parseOptions(${JSON.stringify(argv)}) did not throw`);
}

describe('pnpm bench:proxy options', () => {
  test('no arguments (and the `--` pnpm passes) give the defaults: 10 s, 3 rounds, 50 connections, every target and scenario', () => {
    expect(parseOptions([])).toEqual(DEFAULT_OPTIONS);
    expect(parseOptions(['--'])).toEqual(DEFAULT_OPTIONS);
    expect(DEFAULT_OPTIONS).toMatchObject({ durationS: 8, rounds: 5, connections: 50, pipelining: 1, targets: TARGET_IDS, scenarios: SCENARIO_IDS, wrk: true });
  });

  test('--help asks for the usage', () => {
    expect(parseOptions(['--help'])).toBe('help');
  });

  test('numbers, lists and switches are read', () => {
    const options = parseOptions(['--', '--duration', '4', '--rounds', '5', '--connections', '1_00', '--pipelining', '2', '--warm-up', '0', '--scenario-duration', '3', '--seed', '7', '--request-list', '64', '--no-wrk', '--no-profile']);
    expect(options).toMatchObject({ durationS: 4, rounds: 5, connections: 100, pipelining: 2, warmUpS: 0, scenarioDurationS: 3, seed: 7, requestList: 64, wrk: false, profile: false });
    expect(parseOptions([])).toMatchObject({ wrk: true, profile: true });
  });

  test('targets and scenarios come back in the catalogue order, whatever order they were given in', () => {
    const options = parseOptions(['--targets', 'switchyard-10k,direct, fastify-http-proxy', '--scenarios', 'big-body,tls']);
    expect(options).not.toBe('help');
    if (options === 'help') return;
    expect(options.targets).toEqual(['direct', 'fastify-http-proxy', 'switchyard-10k']);
    expect(options.scenarios).toEqual(['tls', 'big-body']);
  });

  test('--scenarios none runs the main table alone; --targets none the scenarios alone', () => {
    const options = parseOptions(['--scenarios', 'none']);
    expect(options !== 'help' && options.scenarios).toEqual([]);
    const scenariosOnly = parseOptions(['--targets', 'none', '--scenarios', 'h2']);
    expect(scenariosOnly !== 'help' && [scenariosOnly.targets, scenariosOnly.scenarios]).toEqual([[], ['h2']]);
    // The gRPC scenario as the note runs it.
    const grpcOnly = parseOptions(['--', '--targets', 'none', '--scenarios', 'grpc', '--rounds', '5']);
    expect(grpcOnly !== 'help' && [grpcOnly.targets, grpcOnly.scenarios, grpcOnly.rounds]).toEqual([[], ['grpc'], 5]);
    expect(thrown(['--targets', 'none,direct'])).toMatchObject({ code: 'SWY_BENCH_BAD_OPTION', field: '--targets' });
  });

  test.each([
    [['--duration', '0'], '--duration'],
    [['--duration', '1.5'], '--duration'],
    [['--rounds', 'three'], '--rounds'],
    [['--warm-up=-1'], '--warm-up'],
    [['--connections', ''], '--connections'],
    [['--targets', 'direct,envoy'], '--targets'],
    [['--scenarios', 'tls,http3'], '--scenarios'],
    [['--frobnicate'], 'argv'],
    [['extra'], 'argv'],
  ])('%j is refused, naming %s', (argv, field) => {
    expect(thrown(argv)).toMatchObject({ code: 'SWY_BENCH_BAD_OPTION', field });
  });
});
