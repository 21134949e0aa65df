import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseListenAddress, type GatewayBind } from '@switchyard/cli';
import { startGatewayApiExample } from './gateway-api-example.js';
import { MIRROR_SERVICE, usageLines } from './usage-lines.js';

function fail(message: string, code: number): never {
  console.error(`gateway-api example: ${message}`);
  process.exit(code);
}

/** `--bind PORT=HOST:PORT`, as `switchyard serve` reads it. */
function parseBind(value: string): GatewayBind {
  const equals = value.indexOf('=');
  const port = Number(value.slice(0, equals));
  if (equals <= 0 || !Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`--bind ${JSON.stringify(value)}: give LISTENER_PORT=HOST:PORT (8080=127.0.0.1:0)`);
  return { port, listen: parseListenAddress(value.slice(equals + 1), '--bind') };
}

let values;
let binds: GatewayBind[];
let admin;
try {
  ({ values } = parseArgs({
    options: {
      file: { type: 'string', short: 'f' },
      bind: { type: 'string', multiple: true },
      admin: { type: 'string' },
    },
  }));
  binds = (values.bind ?? []).map(parseBind);
  admin = values.admin === undefined ? undefined : parseListenAddress(values.admin, '--admin');
} catch (error) {
  fail((error as Error).message, 2);
}

// pnpm runs scripts in the package's folder; a relative -f means the folder the user ran it from.
const manifests = values.file ? resolve(process.env.INIT_CWD ?? process.cwd(), values.file) : fileURLToPath(new URL('../manifests', import.meta.url));
let example;
try {
  example = await startGatewayApiExample({
    manifests,
    binds,
    ...(admin ? { admin } : {}),
    onUpstreamRequest: (service, request) => {
      if (service === MIRROR_SERVICE) console.log(`${MIRROR_SERVICE} got a mirrored copy: ${request}`);
    },
  });
} catch (error) {
  fail((error as Error).message, 1);
}

// Ctrl-C reaches this process more than once (the terminal signals the whole process group, and
// pnpm forwards it too): every signal after the first waits for the same drain, so none kills us
// mid-close and the exit status is 0. Installed before anything is printed.
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await example.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

for (const line of usageLines(example)) console.log(line);
