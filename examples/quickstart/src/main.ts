import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runQuickstart } from './quickstart.js';

function fail(message: string, code: number): never {
  console.error(`error: ${message}`);
  process.exit(code);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      file: { type: 'string', short: 'f' },
      host: { type: 'string' },
      path: { type: 'string' },
      'ingress-class': { type: 'string' },
    },
  }));
} catch (error) {
  fail((error as Error).message, 2);
}
if ((values.host === undefined) !== (values.path === undefined)) fail('give --host and --path together', 2);

// pnpm runs scripts in the package's folder; a relative -f means the folder the user ran it from.
const manifest = values.file ? resolve(process.env.INIT_CWD ?? process.cwd(), values.file) : new URL('../ingress.yaml', import.meta.url);
try {
  const { text, ok } = await runQuickstart({
    manifest,
    ...(values['ingress-class'] ? { ingressClass: values['ingress-class'] } : {}),
    ...(values.host !== undefined && values.path !== undefined ? { requests: [[values.host, values.path]] } : {}),
  });
  console.log(text);
  process.exitCode = ok ? 0 : 1;
} catch (error) {
  const { code, message } = error as NodeJS.ErrnoException;
  fail(code === 'ENOENT' ? `no such file: ${String(manifest)}` : message, 1);
}
