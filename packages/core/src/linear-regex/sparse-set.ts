/**
 * A set of instruction numbers in `[0, capacity)` with O(1) add, membership test and
 * clear (Briggs and Torczon's sparse set, as RE2 uses): `clear` only resets the size, so
 * a VM reuses two of these for every match without touching memory proportional to the
 * program. `dense[0, size)` lists the members in insertion order.
 */
export class SparseSet {
  readonly dense: Int32Array;
  private readonly sparse: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.dense = new Int32Array(capacity);
    this.sparse = new Int32Array(capacity);
  }

  has(value: number): boolean {
    const index = this.sparse[value]!;
    return index < this.size && this.dense[index] === value;
  }

  add(value: number): void {
    this.sparse[value] = this.size;
    this.dense[this.size++] = value;
  }

  clear(): void {
    this.size = 0;
  }
}
