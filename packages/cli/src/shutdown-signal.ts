/** The signals that ask the gateway to drain and exit: SIGTERM (Kubernetes, systemd) and SIGINT (Ctrl-C). */
export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
export type ShutdownSignal = (typeof SHUTDOWN_SIGNALS)[number];

/**
 * Resolves with the first SIGTERM or SIGINT. The handlers stay installed after it, calling
 * `onRepeat` for each later signal, so a signal during the drain never falls back to Node's
 * default (dying at once with the requests in flight).
 */
export function shutdownSignal(onRepeat: (signal: ShutdownSignal) => void = () => undefined): Promise<ShutdownSignal> {
  return new Promise((resolve) => {
    let first = true;
    const handler = (signal: ShutdownSignal) => {
      if (first) {
        first = false;
        resolve(signal);
      } else {
        onRepeat(signal);
      }
    };
    for (const signal of SHUTDOWN_SIGNALS) process.on(signal, handler);
  });
}
