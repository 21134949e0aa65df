import { parseBalancerPolicy, type BalancerPolicy } from '@switchyard/core';
import { CliError } from './errors.js';

/** What `--balancer` flags set: a default policy and overrides by backend key. */
export interface BalancingFlags {
  readonly default?: BalancerPolicy;
  readonly backends?: Readonly<Record<string, BalancerPolicy>>;
}

/**
 * Reads `--balancer [BACKEND=]POLICY` flags. POLICY is `round-robin`, `least-request`,
 * `hash:header:NAME`, `hash:cookie:NAME` or `hash:client-address`; BACKEND a backend key as
 * `switchyard explain` prints it (`namespace/service:port`). Without BACKEND it is the default.
 *
 * @throws CliError `SWY_CLI_BAD_VALUE` (field `--balancer`) for a policy it cannot read or a default given twice.
 */
export function parseBalancerFlags(values: readonly string[]): BalancingFlags {
  let defaultPolicy: BalancerPolicy | undefined;
  const backends: Record<string, BalancerPolicy> = {};
  for (const value of values) {
    const equals = value.indexOf('=');
    const backend = equals < 0 ? undefined : value.slice(0, equals);
    const policy = policyOf(equals < 0 ? value : value.slice(equals + 1), value);
    if (backend === undefined) {
      if (defaultPolicy !== undefined) throw bad(value, 'the default policy is given twice');
      defaultPolicy = policy;
    } else {
      if (!/^[^/\s]+\/[^:\s]+:[^\s]+$/.test(backend)) throw bad(value, 'the backend must be a key like namespace/service:port');
      if (Object.hasOwn(backends, backend)) throw bad(value, `${backend} is given twice`);
      backends[backend] = policy;
    }
  }
  return { ...(defaultPolicy ? { default: defaultPolicy } : {}), ...(Object.keys(backends).length !== 0 ? { backends } : {}) };
}

function policyOf(text: string, flag: string): BalancerPolicy {
  const [kind, on, name, ...rest] = text.split(':');
  let policy: unknown;
  if (kind === 'round-robin' && on === undefined) policy = { kind: 'round-robin' };
  else if (kind === 'least-request' && on === undefined) policy = { kind: 'least-request' };
  else if (kind === 'hash' && on === 'client-address' && name === undefined) policy = { kind: 'consistent-hash', on: { clientAddress: true } };
  else if (kind === 'hash' && (on === 'header' || on === 'cookie') && name && rest.length === 0) policy = { kind: 'consistent-hash', on: { [on]: name } };
  else throw bad(flag, 'the policy must be round-robin, least-request, hash:header:NAME, hash:cookie:NAME or hash:client-address');
  try {
    return parseBalancerPolicy(policy, '--balancer');
  } catch (cause) {
    throw bad(flag, (cause as Error).message, cause);
  }
}

function bad(value: string, why: string, cause?: unknown): CliError {
  return new CliError('SWY_CLI_BAD_VALUE', `--balancer ${JSON.stringify(value)}: ${why}`, { field: '--balancer', ...(cause === undefined ? {} : { cause }) });
}
