/** One table size of the benchmark: how many path rules, spread over how many rule hosts. */
export interface TableSize {
  readonly paths: number;
  readonly hosts: number;
}

/** The sizes the issue asks for, smallest first; the targets compare the first and the last. */
export const SIZES: readonly TableSize[] = [
  { paths: 10, hosts: 1 },
  { paths: 1_000, hosts: 10 },
  { paths: 10_000, hosts: 100 },
  { paths: 100_000, hosts: 1_000 },
];

export function sizeLabel(size: TableSize): string {
  return `${size.paths.toLocaleString('en-US')} paths / ${size.hosts.toLocaleString('en-US')} host${size.hosts === 1 ? '' : 's'}`;
}

/** Finds the size with this many paths (the `--sizes` option names sizes by path count). */
export function sizeByPaths(paths: number): TableSize | undefined {
  return SIZES.find((size) => size.paths === paths);
}

/** A table as the report names it: an Ingress size, or the Gateway API table (whose `paths` are HTTPRoute rules). */
export function tableLabel(table: 'ingress' | 'gateway', size: TableSize): string {
  return table === 'gateway' ? `${size.paths.toLocaleString('en-US')} HTTPRoute rules / ${size.hosts.toLocaleString('en-US')} hosts` : sizeLabel(size);
}
