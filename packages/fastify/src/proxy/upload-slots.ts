/**
 * Counts, per endpoint origin, the upstream connections held by request bodies that are still
 * arriving (streamed uploads), and refuses more than `perEndpoint` of them: a slow or stalled
 * upload holds its connection for as long as the client takes, so without a cap enough of them
 * would take every connection of the endpoint's pool and starve all its other requests. Keyed
 * by endpoint (bounded by the endpoints discovery pushed, not by request input); an entry goes
 * when its count drops to zero.
 */
export class UploadSlots {
  private readonly held = new Map<string, number>();

  constructor(readonly perEndpoint: number) {}

  /** Takes a slot on `origin`; false when all of its slots are taken. */
  take(origin: string): boolean {
    const count = this.held.get(origin) ?? 0;
    if (count >= this.perEndpoint) return false;
    this.held.set(origin, count + 1);
    return true;
  }

  /** Gives back a slot taken on `origin`. */
  release(origin: string): void {
    const count = this.held.get(origin) ?? 0;
    if (count <= 1) this.held.delete(origin);
    else this.held.set(origin, count - 1);
  }

  /** Slots held on `origin` now (for tests and the admin views). */
  heldOn(origin: string): number {
    return this.held.get(origin) ?? 0;
  }
}
