import { StaticDiscovery, isSwitchyardError, selectEndpoints, type Diagnostic, type Endpoint, type EndpointSet, type Explanation } from '@switchyard/core';
import { CliError } from './errors.js';
import { assertReadable, readManifestConfig } from './manifest-config.js';

/** Options of `explain` (and `switchyard explain`). */
export interface ExplainOptions {
  readonly files: readonly string[];
  /** The request's Host (a port and upper case are normalized away, as the gateway does). */
  readonly host: string;
  /** The request target's path (a query is ignored; the path is normalized as the gateway does). */
  readonly path: string;
  readonly ingressClass?: string;
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
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Which rule a request matches and why: the files are compiled as `serve` compiles them, the
 * request is normalized as the gateway normalizes it, and the winner's endpoints come from
 * the Services and EndpointSlices in the same files. ExternalName Services are not resolved
 * here (that needs DNS); their set carries `SWY_DISCOVERY_EXTERNAL_NAME_UNSUPPORTED` naming the host.
 *
 * @throws CliError `SWY_CLI_FILE_UNREADABLE` for a path that does not exist, `SWY_CLI_BAD_VALUE`
 *   (field `host` or `path`) for a Host or path no request could carry.
 */
export async function explain(options: ExplainOptions): Promise<ExplainResult> {
  await assertReadable(options.files, '-f');
  const config = await readManifestConfig(options.files, options.ingressClass);
  const explanation = explainRequest(config.compiled.table, options.host, options.path);
  const winner = explanation.winner;
  let endpoints: ExplainedEndpoints | undefined;
  if (winner) {
    const discovery = new StaticDiscovery({ objects: config.loaded.objects });
    const pushed: EndpointSet[] = [];
    // Static discovery pushes a backend's set before `watch` returns.
    const stop = discovery.watch(winner.backend, (set) => pushed.push(set));
    stop();
    await discovery.close();
    const set = pushed.at(-1);
    if (set) endpoints = { backendKey: winner.backendKey, set, eligible: selectEndpoints(set) };
  }
  return { explanation, endpoints, diagnostics: config.diagnostics };
}

function explainRequest(table: { explain(host: string, path: string): Explanation }, host: string, path: string): Explanation {
  try {
    return table.explain(host, path);
  } catch (error) {
    if (isSwitchyardError(error, 'SWY_REQUEST_BAD_HOST')) throw new CliError('SWY_CLI_BAD_VALUE', `--host ${JSON.stringify(host)}: ${error.message}`, { field: 'host', cause: error });
    if (isSwitchyardError(error, 'SWY_REQUEST_BAD_PATH')) throw new CliError('SWY_CLI_BAD_VALUE', `--path ${JSON.stringify(path)}: ${error.message}`, { field: 'path', cause: error });
    throw error;
  }
}
