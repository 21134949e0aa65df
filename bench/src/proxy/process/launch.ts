import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromServer, ToServer } from '../protocol.js';
import { pinned, type Pinning, type Role } from '../pinning.js';
import { ManagedProcess } from '../../common/managed-process.js';

/** The server entry points in src/proxy/servers/, by file name without extension. */
export type ServerEntry =
  | 'node-upstream'
  | 'grpc-upstream'
  | 'fastify-http-proxy'
  | 'reply-from-map'
  | 'undici-floor'
  | 'undici-h2-floor'
  | 'switchyard'
  | 'switchyard-grpc'
  | 'fast-gateway'
  | 'node-http-proxy'
  | 'switchyard-cli';

// Entry files sit next to this folder, as .ts under tsx and as .js once built.
const EXTENSION = extname(fileURLToPath(import.meta.url));
const BENCH_DIR = fileURLToPath(new URL('../../../', import.meta.url));

/** A bench/src/proxy file run as its own process (servers/, load/). */
export function entryFile(relative: string): string {
  return fileURLToPath(new URL(`../${relative}${EXTENSION}`, import.meta.url));
}

/**
 * The V8 flags of every Node server the bench starts (Switchyard's targets and the peers
 * alike): what `switchyard serve` sets on itself and the @switchyard/fastify README tells a
 * gateway written in code to run with.
 */
export const SERVER_V8_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring'];

/**
 * `node --conditions=source --import tsx <file>`: ONE process that loads TypeScript itself.
 * The `tsx` command would spawn a second node process, and the CPU time read from /proc
 * would then be the launcher's, not the server's. `--conditions=source` resolves the
 * workspace packages to their sources, as `pnpm bench:proxy` does for the orchestrator.
 */
export function nodeArgs(file: string, args: readonly string[] = []): string[] {
  const loader = EXTENSION === '.ts' ? ['--import', import.meta.resolve('tsx')] : [];
  return ['--conditions=source', ...loader, file, ...args];
}

/**
 * Starts a server entry, pinned for its role, with its configuration as one JSON argument.
 * `benchDir` is another checkout's bench/ (the base of a compare): its entry then runs, and
 * its imports resolve to that checkout's packages.
 */
export function launchServer(name: string, entry: ServerEntry, config: object, role: Role, pinning: Pinning, benchDir?: string): ManagedProcess<ToServer, FromServer> {
  const file = benchDir === undefined ? entryFile(`servers/${entry}`) : join(benchDir, 'src', 'proxy', 'servers', `${entry}.ts`);
  const { command, args } = pinned(pinning, role, process.execPath, [...SERVER_V8_FLAGS, ...nodeArgs(file, [JSON.stringify(config)])]);
  return new ManagedProcess({ name, command, args, cwd: benchDir ?? BENCH_DIR, ipc: true });
}

/**
 * Starts the Switchyard CLI (`switchyard <args>`) through servers/switchyard-cli, pinned for its
 * role. `benchDir`: another checkout's bench/ (the base of a paired run), whose entry and packages run.
 */
export function launchCli(name: string, cliArgs: readonly string[], role: Role, pinning: Pinning, benchDir?: string): ManagedProcess<ToServer, FromServer> {
  const file = benchDir === undefined ? entryFile('servers/switchyard-cli') : join(benchDir, 'src', 'proxy', 'servers', 'switchyard-cli.ts');
  const { command, args } = pinned(pinning, role, process.execPath, [...SERVER_V8_FLAGS, ...nodeArgs(file, cliArgs)]);
  return new ManagedProcess({ name, command, args, cwd: benchDir ?? BENCH_DIR, ipc: true });
}

/** Starts nginx in the foreground on a configuration file, ready once `port` accepts. */
export function launchNginx(name: string, nginx: string, prefixDir: string, configFile: string, port: number, role: Role, pinning: Pinning): ManagedProcess {
  // -e: the error log before the configuration is read (the default path needs root).
  const { command, args } = pinned(pinning, role, nginx, ['-p', prefixDir, '-e', `${prefixDir}/error.log`, '-c', configFile]);
  return new ManagedProcess({ name, command, args, cwd: prefixDir, ipc: false, readyPort: port });
}
