/**
 * The order in which round `round` measures `items`, which come in groups of `groupSize`
 * consecutive items (1: every item alone; 2: the working tree and the base of one subject).
 * The groups rotate by one each round (A B C, B C A, C A B, ...), so a slow spell on a shared
 * machine lands on every group alike; within a group the order flips each round (A B, B A,
 * ...), so neither side of a pair always runs right after the other group's load.
 */
export function roundOrder<T>(items: readonly T[], round: number, groupSize = 1): T[] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += groupSize) groups.push(items.slice(i, i + groupSize));
  const order: T[] = [];
  for (let k = 0; k < groups.length; k++) {
    const group = groups[(k + round) % groups.length]!;
    order.push(...(round % 2 === 0 ? group : [...group].reverse()));
  }
  return order;
}
