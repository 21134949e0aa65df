import type { Metric, Registry } from 'prom-client';

/**
 * Counters and histograms the proxy updates once per request, without prom-client on the
 * hot path. prom-client's label children rebuild a label hash string and a label object on
 * every `inc`/`observe`; here each labelled series is a cell the caller holds on to, so an
 * update is a number added to a field. The families register into a prom-client `Registry`
 * as ordinary metrics and turn their cells into exposition values at scrape time only.
 */

type Labels = Readonly<Record<string, string>>;

/** One series of a counter family. */
export class CounterCell {
  value = 0;
  constructor(readonly labels: Labels) {}

  inc(by = 1): void {
    this.value += by;
  }
}

/** One series of a histogram family: a count per bucket (not cumulative; the last is +Inf), a sum and a count. */
export class HistogramCell {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Labels,
    private readonly bounds: Float64Array,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    // A linear walk: with about fifteen buckets it beats a binary search (Prometheus's Go
    // client switches only past 35), and most requests stop in the first few buckets.
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i] = this.counts[i]! + 1;
    this.sum += value;
    this.count += 1;
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}

/** What prom-client's `Registry` reads from a metric: the exposition values, read at scrape time. */
interface ExpositionValue {
  readonly labels: Labels;
  readonly value: number;
  readonly metricName?: string;
}

/** The part of prom-client's metric shape the registry uses (`metrics()`, `getMetricsAsJSON()`, `resetMetrics()`). */
abstract class CellFamily<Cell extends { readonly labels: Labels }> {
  // Not readonly: an OpenMetrics registry renames counters (drops `_total`) when it scrapes.
  name: string;
  readonly help: string;
  readonly aggregator = 'sum';
  abstract readonly type: 'counter' | 'histogram';
  private readonly labelNames: readonly string[];
  protected readonly cells = new Map<string, Cell>();

  constructor(registry: Registry, name: string, help: string, labelNames: readonly string[]) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    // prom-client types `registerMetric` with its own classes only; the registry itself reads
    // name, help, type, aggregator, get() and reset(), which this class provides.
    registry.registerMetric(this as unknown as Metric);
  }

  /**
   * The cell of one label combination, made on first use. Cold path: callers keep the cell
   * (per route, per status code) and never come back here for the same labels.
   */
  cell(values: readonly string[]): Cell {
    const key = values.join('\u0000');
    let cell = this.cells.get(key);
    if (cell === undefined) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((label, i) => (labels[label] = values[i] ?? ''));
      cell = this.create(Object.freeze(labels));
      this.cells.set(key, cell);
    }
    return cell;
  }

  /** Zeroes every cell; the cells stay, because callers hold them. */
  abstract reset(): void;

  protected abstract create(labels: Labels): Cell;

  protected abstract values(): ExpositionValue[];

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: ExpositionValue[] }> {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.values() };
  }
}

/** A counter whose series are `CounterCell`s. */
export class CounterFamily extends CellFamily<CounterCell> {
  readonly type = 'counter';

  reset(): void {
    for (const cell of this.cells.values()) cell.value = 0;
  }

  protected create(labels: Labels): CounterCell {
    return new CounterCell(labels);
  }

  protected values(): ExpositionValue[] {
    return [...this.cells.values()].map((cell) => ({ labels: cell.labels, value: cell.value }));
  }
}

/** A histogram whose series are `HistogramCell`s, all with the same bucket bounds. */
export class HistogramFamily extends CellFamily<HistogramCell> {
  readonly type = 'histogram';
  private readonly bounds: Float64Array;
  private readonly boundLabels: readonly string[];

  constructor(registry: Registry, name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    super(registry, name, help, labelNames);
    this.bounds = Float64Array.from(buckets);
    this.boundLabels = buckets.map(String);
  }

  reset(): void {
    for (const cell of this.cells.values()) cell.reset();
  }

  protected create(labels: Labels): HistogramCell {
    return new HistogramCell(labels, this.bounds);
  }

  protected values(): ExpositionValue[] {
    const bucketName = `${this.name}_bucket`;
    const out: ExpositionValue[] = [];
    for (const cell of this.cells.values()) {
      let cumulative = 0;
      this.boundLabels.forEach((le, i) => {
        cumulative += cell.counts[i]!;
        out.push({ metricName: bucketName, labels: { ...cell.labels, le }, value: cumulative });
      });
      out.push(
        { metricName: bucketName, labels: { ...cell.labels, le: '+Inf' }, value: cell.count },
        { metricName: `${this.name}_sum`, labels: cell.labels, value: cell.sum },
        { metricName: `${this.name}_count`, labels: cell.labels, value: cell.count },
      );
    }
    return out;
  }
}
