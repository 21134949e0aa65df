import {
  StaticDiscovery,
  explainGatewayRequest,
  isSwitchyardError,
  selectEndpoints,
  type BackendRef,
  type Endpoint,
  type EndpointSet,
  type Explanation,
  type GatewayExplanation,
  type KubernetesObject,
} from '@switchyard/core';
import { CliError } from './errors.js';
import { assertReadable, readManifestConfig, type AnyDiagnostic } from './manifest-config.js';

/** Options of `explain` (and `switchyard explain`). */
export interface ExplainOptions {
  readonly files: readonly string[];
  /** The request's Host (a port and upper case are normalized away, as the gateway does). */
  readonly host: string;
  /** The request target's path (normalized as the gateway does); a query (`/a?x=1`) counts for Gateway API query matches only. */
  readonly path: string;
  readonly ingressClass?: string;
  /** The GatewayClass served (`--gateway-class`); `port` needs it. */
  readonly gatewayClass?: string;
  /** Only these Gateways of the class (`namespace/name`). */
  readonly gateways?: readonly string[];
  /** The ExternalName Services serve would resolve (`--allow-external-name`); the winner's set of another says `SWY_DISCOVERY_EXTERNAL_NAME_DENIED`. */
  readonly allowExternalNames?: readonly string[];
}

/** Options of `explainGateway` (and `switchyard explain --port`): a request to a Gateway listener port. */
export interface GatewayExplainOptions extends ExplainOptions {
  /** The GatewayClass served: its Gateways and HTTPRoutes are what is explained. */
  readonly gatewayClass: string;
  /** The Gateway listener port (`spec.listeners[].port`) the request arrives on. */
  readonly port: number;
  /** With `port`: the request method (default GET). */
  readonly method?: string;
  /** With `port`: request headers by name (lowercase); a repeated header as an array. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
}

/** The winner's backend as static discovery of the same files resolves it. */
export interface ExplainedEndpoints {
  readonly backendKey: string;
  readonly set: EndpointSet;
  /** The endpoints a request may go to (ready ones, else serving and terminating ones). */
  readonly eligible: readonly Endpoint[];
}

export interface ExplainResult {
  /** `RouteTable.explain`: the normalized request, the winner, every candidate in precedence order with its outcome and reason. */
  readonly explanation: Explanation;
  /** Undefined when no rule wins. */
  readonly endpoints: ExplainedEndpoints | undefined;
  /** Problems met loading and compiling the files (an Ingress left out changes the answer). */
  readonly diagnostics: readonly AnyDiagnostic[];
}

export interface GatewayExplainResult {
  /** core's `explainGatewayRequest`: the listeners of the port, the candidates in precedence order, the winning rule. */
  readonly explanation: GatewayExplanation;
  /** The endpoints of each resolved backend of the winning rule, in its order (none without a winner). */
  readonly endpoints: readonly ExplainedEndpoints[];
  /** Problems met loading and compiling the files (an HTTPRoute left out changes the answer). */
  readonly diagnostics: readonly AnyDiagnostic[];
}

/**
 * Which rule a request matches and why: the files are compiled as `serve` compiles them, the
 * request is normalized as the gateway normalizes it, and the winner's endpoints come from
 * the Services and EndpointSlices in the same files. ExternalName Services are not resolved
 * here (that needs DNS): the set of one `allowExternalNames` allows carries
 * `SWY_DISCOVERY_EXTERNAL_NAME_UNSUPPORTED` naming the host, any other's
 * `SWY_DISCOVERY_EXTERNAL_NAME_DENIED` (as serve would answer 503) and how to allow it.
 *
 * @throws CliError `SWY_CLI_FILE_UNREADABLE` for a path that does not exist, `SWY_CLI_BAD_VALUE`
 *   (field `host` or `path`) for a Host or path no request could carry.
 */
export async function explain(options: ExplainOptions): Promise<ExplainResult> {
  await assertReadable(options.files, '-f');
  const config = await readManifestConfig(options.files, options);
  const explanation = normalized(options, () => config.compiled.table.explain(options.host, options.path));
  const winner = explanation.winner;
  const endpoints = winner ? await endpointsOf(config.loaded.objects, winner.backendKey, winner.backend, options.allowExternalNames) : undefined;
  return { explanation, endpoints, diagnostics: config.diagnostics };
}

/**
 * Which HTTPRoute rule a request to a Gateway listener port matches and why (core's
 * `explainGatewayRequest` on the files compiled as `serve --gateway-class` compiles them), with
 * the endpoints of the winning rule's backends from the same files.
 *
 * @throws CliError as `explain` does.
 */
export async function explainGateway(options: GatewayExplainOptions): Promise<GatewayExplainResult> {
  await assertReadable(options.files, '-f');
  const config = await readManifestConfig(options.files, options);
  const explanation = normalized(options, () =>
    explainGatewayRequest(config.compiled.table, {
      port: options.port,
      host: options.host,
      path: options.path,
      ...(options.method === undefined ? {} : { method: options.method }),
      ...(options.headers === undefined ? {} : { headers: options.headers }),
    }),
  );
  const resolved = (explanation.winner?.backends ?? []).flatMap((backend) => (backend.backend === null || backend.backendKey === null ? [] : [{ key: backend.backendKey, ref: backend.backend }]));
  const unique = [...new Map(resolved.map((entry) => [entry.key, entry])).values()];
  const endpoints = await Promise.all(unique.map(({ key, ref }) => endpointsOf(config.loaded.objects, key, ref, options.allowExternalNames)));
  return { explanation, endpoints: endpoints.filter((e): e is ExplainedEndpoints => e !== undefined), diagnostics: config.diagnostics };
}

async function endpointsOf(objects: readonly KubernetesObject[], backendKey: string, backend: BackendRef, allowExternalNames: readonly string[] = []): Promise<ExplainedEndpoints | undefined> {
  const discovery = new StaticDiscovery({ objects: [...objects], allowExternalNames });
  const pushed: EndpointSet[] = [];
  // Static discovery pushes a backend's set before `watch` returns.
  const stop = discovery.watch(backend, (set) => pushed.push(set));
  stop();
  await discovery.close();
  const set = pushed.at(-1);
  return set === undefined ? undefined : { backendKey, set, eligible: selectEndpoints(set) };
}

/** Runs a normalizing explain; a Host or path no request could carry is a bad flag value. */
function normalized<T>(options: ExplainOptions, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isSwitchyardError(error, 'SWY_REQUEST_BAD_HOST')) throw new CliError('SWY_CLI_BAD_VALUE', `--host ${JSON.stringify(options.host)}: ${error.message}`, { field: 'host', cause: error });
    if (isSwitchyardError(error, 'SWY_REQUEST_BAD_PATH')) throw new CliError('SWY_CLI_BAD_VALUE', `--path ${JSON.stringify(options.path)}: ${error.message}`, { field: 'path', cause: error });
    throw error;
  }
}
