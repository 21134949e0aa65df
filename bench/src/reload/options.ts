import { parseCommandLine, positiveInteger } from '../common/options.js';

export interface ReloadOptions {
  /** Single-file changes per CLI. */
  readonly changes: number;
  /** A git ref to run side by side with the working tree (paired), or undefined for the working tree alone. */
  readonly base: string | undefined;
}

export const DEFAULT_CHANGES = 40;

export const USAGE = `pnpm bench:reload -- [options]

  --changes 40         single-file changes per CLI
  --base <git ref>     paired: that commit's CLI beside the working tree's (checked out, installed
                       and built in a temporary git worktree, removed at the end), each on its own
                       copy of the table, the changes alternating between them; the median of the
                       paired differences is what to judge a change by. No full reloads then.
  -h, --help           this text`;

/** @throws BenchError `SWY_BENCH_BAD_OPTION` (field `argv` or the option) for an unknown option or a bad value. */
export function parseReloadOptions(argv: readonly string[]): ReloadOptions | 'help' {
  const values = parseCommandLine(argv, { changes: { type: 'string' }, base: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, USAGE);
  if (values.help) return 'help';
  return { changes: positiveInteger('--changes', values.changes) ?? DEFAULT_CHANGES, base: values.base };
}
