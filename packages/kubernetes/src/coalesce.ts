/**
 * Runs `task` once after a burst of `schedule()` calls settles for `delayMs` (and at most
 * `maxDelayMs` after the first call of the burst), so a storm of watch events costs one
 * recompute. Traefik and Contour coalesce the same way.
 */
export class Coalescer {
  private timer: NodeJS.Timeout | undefined;
  private firstAt = 0;

  constructor(
    private readonly task: () => void,
    private readonly delayMs: number,
    private readonly maxDelayMs: number = delayMs * 10,
  ) {}

  schedule(): void {
    const now = Date.now();
    if (this.timer === undefined) this.firstAt = now;
    clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.delayMs, this.firstAt + this.maxDelayMs - now));
    this.timer = setTimeout(() => this.flush(), wait);
    this.timer.unref();
  }

  /** Runs a pending task now. */
  flush(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.task();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
