import { parseArgs } from 'node:util';
import { runQuickstart } from './quickstart.js';

const { values } = parseArgs({
  options: {
    file: { type: 'string', short: 'f' },
    host: { type: 'string' },
    path: { type: 'string' },
    'ingress-class': { type: 'string' },
  },
});
if ((values.host === undefined) !== (values.path === undefined)) {
  console.error('error: give --host and --path together');
  process.exit(2);
}
const { text, ok } = await runQuickstart({
  manifest: values.file ?? new URL('../ingress.yaml', import.meta.url),
  ...(values['ingress-class'] ? { ingressClass: values['ingress-class'] } : {}),
  ...(values.host !== undefined && values.path !== undefined ? { requests: [[values.host, values.path]] } : {}),
});
console.log(text);
process.exitCode = ok ? 0 : 1;
