import { SwitchyardError } from '../errors.js';
import { createBackendBalancer, type BackendBalancer, type BackendBalancerOptions } from './backend-balancer.js';
import { parseBalancerPolicy, type BalancerPolicy } from './balancer-policy.js';
import { resolveOutlierDetection, type OutlierDetectionOptions } from './outlier-detection.js';

/** Makes one backend's balancer from its policy (the backend's override, else the default); undefined leaves that backend to core's. */
export type BalancerFactory = (backendKey: string, policy: BalancerPolicy, options: BackendBalancerOptions) => BackendBalancer | undefined;

/** How a router balances each backend it watches. */
export interface BalancingOptions {
  /** The policy of every backend without an override. Default `{ kind: 'round-robin' }`. */
  readonly default?: BalancerPolicy;
  /** Overrides by backend key (`namespace/service:port`, see `backendKey`). */
  readonly backends?: Readonly<Record<string, BalancerPolicy>>;
  /** Passive outlier detection for every backend; `false` turns it off. On by default. */
  readonly outlierDetection?: OutlierDetectionOptions | false;
  /** Makes the balancer of each backend, for a picker of your own. Default: `createBackendBalancer(policy, options)`. */
  readonly create?: BalancerFactory;
}

const ROUND_ROBIN: BalancerPolicy = Object.freeze({ kind: 'round-robin' });

/**
 * Balancing options checked once (a typo fails here, not on some backend's first request):
 * `balancerFor(key)` makes a backend's balancer from them.
 */
export class Balancing {
  private readonly defaultPolicy: BalancerPolicy;
  private readonly policies = new Map<string, BalancerPolicy>();
  private readonly balancerOptions: BackendBalancerOptions;
  private readonly create: BalancerFactory | undefined;

  /**
   * @throws SwitchyardError `SWY_BALANCER_INVALID_POLICY` or `SWY_BALANCER_INVALID_OPTIONS` for a
   *   bad policy or outlier option, `SWY_ROUTER_INVALID_OPTIONS` for a wrong shape; `field` is
   *   under `field` (`balancing.backends["shop/web:80"].kind`).
   */
  constructor(options: BalancingOptions | undefined, field = 'balancing') {
    if (options !== undefined && !isRecord(options)) throw invalid(field, 'must be an object');
    const { default: defaultPolicy, backends, outlierDetection, create }: BalancingOptions = options ?? {};
    this.defaultPolicy = defaultPolicy === undefined ? ROUND_ROBIN : parseBalancerPolicy(defaultPolicy, `${field}.default`);
    if (backends !== undefined && !isRecord(backends)) throw invalid(`${field}.backends`, 'must be an object keyed by backend key');
    for (const [key, policy] of Object.entries(backends ?? {})) this.policies.set(key, parseBalancerPolicy(policy, `${field}.backends["${key}"]`));
    resolveOutlierDetection(outlierDetection, `${field}.outlierDetection`);
    if (create !== undefined && typeof create !== 'function') throw invalid(`${field}.create`, 'must be a function');
    this.balancerOptions = Object.freeze({ outlierDetection: outlierDetection ?? {} });
    this.create = create;
  }

  /** The policy a backend is balanced with. */
  policyOf(backendKey: string): BalancerPolicy {
    return this.policies.get(backendKey) ?? this.defaultPolicy;
  }

  /** A new balancer for one backend: the factory's, else core's for its policy. */
  balancerFor(backendKey: string): BackendBalancer {
    const policy = this.policyOf(backendKey);
    return this.create?.(backendKey, policy, this.balancerOptions) ?? createBackendBalancer(policy, this.balancerOptions);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(field: string, problem: string): SwitchyardError {
  return new SwitchyardError('SWY_ROUTER_INVALID_OPTIONS', `new Router(options): ${field} ${problem}`, { field });
}
