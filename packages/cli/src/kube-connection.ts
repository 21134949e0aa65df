import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { connectionFromKubeConfig, type KubeConnection } from '@switchyard/kubernetes';
import { CliError } from './errors.js';
import { assertReadable } from './manifest-config.js';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The API server connection of a kubeconfig file, or by default of `$KUBECONFIG`,
 * `~/.kube/config` or the in-cluster service account, in that order (client-node's
 * `loadFromDefault`). Unlike `loadFromDefault`, finding none of them is an error, not a
 * silent `http://localhost:8080`.
 *
 * @throws CliError `SWY_CLI_FILE_UNREADABLE` (field `--kubeconfig`) for a missing file,
 *   `SWY_CLI_KUBECONFIG_INVALID` for one that does not parse or names no cluster.
 */
export async function loadKubeConnection(kubeconfig: string | undefined): Promise<KubeConnection> {
  if (kubeconfig !== undefined) await assertReadable([kubeconfig], '--kubeconfig');
  else if (!process.env.KUBECONFIG && !existsSync(join(homedir(), '.kube', 'config')) && !existsSync(SERVICE_ACCOUNT_TOKEN)) {
    throw new CliError('SWY_CLI_KUBECONFIG_INVALID', `no kubeconfig: give --kubeconfig FILE, set KUBECONFIG, create ~/.kube/config, or run in a pod with a service account`, { field: '--kubeconfig' });
  }
  const config = new KubeConfig();
  try {
    if (kubeconfig !== undefined) config.loadFromFile(kubeconfig);
    else config.loadFromDefault();
    return await connectionFromKubeConfig(config);
  } catch (cause) {
    const what = kubeconfig ?? process.env.KUBECONFIG ?? 'the default kubeconfig';
    throw new CliError('SWY_CLI_KUBECONFIG_INVALID', `${what}: ${firstLine((cause as Error).message)}`, { field: '--kubeconfig', cause });
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!;
}
