import { Writable } from 'node:stream';

/** One parsed pino line. */
export type LogLine = Readonly<Record<string, unknown>> & { readonly msg?: string; readonly level?: number };

/**
 * A Writable to hand Fastify's logger (`logger: { level, stream }`): it parses each JSON line
 * and lets a test wait for a line to appear, instead of sleeping.
 */
export class LogLines {
  readonly lines: LogLine[] = [];
  private partial = '';
  private readonly waiters = new Set<() => void>();

  readonly stream = new Writable({
    write: (chunk: Buffer | string, _encoding, done) => {
      this.partial += chunk.toString();
      let newline: number;
      while ((newline = this.partial.indexOf('\n')) >= 0) {
        const text = this.partial.slice(0, newline);
        this.partial = this.partial.slice(newline + 1);
        if (text.trim().length !== 0) this.lines.push(JSON.parse(text) as LogLine);
      }
      for (const wake of [...this.waiters]) wake();
      done();
    },
  });

  /** Resolves with the first line (existing or future) that `test` accepts. */
  async waitFor(test: (line: LogLine) => boolean): Promise<LogLine> {
    for (;;) {
      const found = this.lines.find(test);
      if (found !== undefined) return found;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
      });
    }
  }
}
