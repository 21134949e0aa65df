import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseListenAddress } from '@switchyard/cli';
import { SAMPLE_REQUESTS, startQuickstart, tryRequest, usageLines } from './quickstart.js';

function fail(message: string, code: number): never {
  console.error(`quickstart: ${message}`);
  process.exit(code);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      file: { type: 'string', short: 'f' },
      listen: { type: 'string' },
      admin: { type: 'string' },
      // Send the sample requests, print the answers and stop (for CI and scripts).
      once: { type: 'boolean' },
    },
  }));
} catch (error) {
  fail((error as Error).message, 2);
}

// pnpm runs scripts in the package's folder; a relative -f means the folder the user ran it from.
const manifest = values.file ? resolve(process.env.INIT_CWD ?? process.cwd(), values.file) : fileURLToPath(new URL('../ingress.yaml', import.meta.url));
let quickstart;
try {
  quickstart = await startQuickstart({
    manifest,
    ...(values.listen ? { listen: parseListenAddress(values.listen, '--listen') } : {}),
    ...(values.admin ? { admin: parseListenAddress(values.admin, '--admin') } : {}),
  });
} catch (error) {
  fail((error as Error).message, 1);
}

if (!values.once) {
  // Ctrl-C reaches this process more than once (the terminal signals the whole process group, and
  // pnpm forwards it too): every signal after the first waits for the same drain, so none kills us
  // mid-close and the exit status is 0.
  // Installed before anything is printed: whoever reads the output may send the signal at once.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await quickstart.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

for (const line of usageLines(quickstart.urls)) console.log(line);
console.log('\nWhat the sample requests got just now:');
let failed = false;
for (const [host, path] of SAMPLE_REQUESTS) {
  const { status, line } = await tryRequest(quickstart.urls.http, host, path);
  failed ||= status !== 200;
  console.log(`  ${host}${path}\n    -> ${line}`);
}

if (values.once) {
  await quickstart.close();
  process.exit(failed ? 1 : 0);
}
