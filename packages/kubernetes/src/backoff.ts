/** Exponential backoff with full jitter, as client-go's reflector backs off between failures. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Growth per failure. */
  readonly factor?: number;
}

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next try: up to initial * factor^attempt, capped, jittered in [50%, 100%]. */
  next(): number {
    const ceiling = Math.min(this.options.maxMs, this.options.initialMs * (this.options.factor ?? 2) ** this.attempt);
    this.attempt++;
    return Math.round(ceiling * (0.5 + this.random() * 0.5));
  }

  /** After a success: the next failure waits the initial delay again. */
  reset(): void {
    this.attempt = 0;
  }
}
