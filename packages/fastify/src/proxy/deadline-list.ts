/** The longest delay Node's timers take (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What a `DeadlineList` holds: the links live on the item itself, so adding one allocates nothing. */
export interface DeadlineItem {
  /** When its wait ends (performance.now() ms); set by the list. */
  deadlineAt: number;
  deadlinePrev: DeadlineItem | undefined;
  deadlineNext: DeadlineItem | undefined;
  /** The list it waits in (a `DeadlineList` of its kind), if any. */
  deadlineList: object | undefined;
}

/**
 * Items that each wait for something within one fixed time (`ms`): an upstream's response head,
 * the next chunk of its body. Kept in the order their waits started, which with one duration is
 * the order of their deadlines, so one timer serves the whole list (set for the first item's) and
 * adding, restarting or removing an item is O(1) and allocates nothing. The timer stays set while
 * the list is empty and is set again only when it fires, so under load, when the list is never
 * empty, no timer is made per request; when idle, one per `ms`.
 *
 * Why not undici's own `headersTimeout` and `bodyTimeout`: they start a timer object per request
 * that lives on in undici's list of timers for up to a second after the request ends (a "fast
 * timer", swept every 500 ms), so every one of them outlives a young GC and is promoted.
 */
export class DeadlineList<T extends DeadlineItem> {
  private head: T | undefined = undefined;
  private tail: T | undefined = undefined;
  private timer: NodeJS.Timeout | undefined = undefined;
  /** In `expire`: an item added by a `passed` callback is left to the timer `expire` sets. */
  private expiring = false;
  private readonly fire = (): void => this.expire();

  constructor(
    /** How long each item may wait. */
    readonly ms: number,
    /** An item whose wait ended, already out of the list. */
    private readonly passed: (item: T) => void,
  ) {}

  /** Starts `item`'s wait now (it leaves the list it was in). */
  add(item: T, now: number): void {
    if (item.deadlineList !== undefined) (item.deadlineList as DeadlineList<T>).remove(item);
    item.deadlineAt = now + this.ms;
    item.deadlineList = this;
    item.deadlineNext = undefined;
    item.deadlinePrev = this.tail;
    if (this.tail === undefined) this.head = item;
    else this.tail.deadlineNext = item;
    this.tail = item;
    // A timer already set is set for an earlier deadline than this one: it will get to it.
    if (this.timer === undefined && !this.expiring) this.arm(this.ms);
  }

  /** Ends `item`'s wait without it passing (it got what it waited for, or it ended). */
  remove(item: T): void {
    if (item.deadlineList !== this) return;
    const prev = item.deadlinePrev as T | undefined;
    const next = item.deadlineNext as T | undefined;
    if (prev === undefined) this.head = next;
    else prev.deadlineNext = next;
    if (next === undefined) this.tail = prev;
    else next.deadlinePrev = prev;
    item.deadlinePrev = undefined;
    item.deadlineNext = undefined;
    item.deadlineList = undefined;
  }

  private arm(ms: number): void {
    // Node fires a longer timer after 1 ms (with a warning): a longer wait takes several.
    this.timer = setTimeout(this.fire, Math.min(ms, MAX_TIMER_MS));
    // In-flight requests keep the process alive by their sockets; the timer need not.
    this.timer.unref();
  }

  private expire(): void {
    this.timer = undefined;
    const now = performance.now();
    let item = this.head;
    this.expiring = true;
    try {
      while (item !== undefined && item.deadlineAt <= now) {
        this.remove(item);
        this.passed(item);
        item = this.head;
      }
    } finally {
      this.expiring = false;
    }
    // Node's timers count whole milliseconds: a timer may fire a fraction before the deadline.
    if (item !== undefined) this.arm(Math.max(1, Math.ceil(item.deadlineAt - now)));
  }
}
