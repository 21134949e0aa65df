// The `switchyard` executable (bin/switchyard.js loads the built copy of this file).
import { main } from './cli.js';
import { setSwitchyardV8Flags } from './v8-flags.js';

setSwitchyardV8Flags();
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Everything is closed by now, so the process ends by itself; should a handle linger anyway
// (a library's socket), do not let it hold a drained gateway's process open past a second.
setTimeout(() => process.exit(code), 1_000).unref();
