/**
 * FNV-1a over UTF-16 code units, 32 bits. Normalized paths are ASCII, so one step per
 * character. `Math.imul` keeps it in int32 arithmetic, which V8 compiles to a multiply.
 */
export const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

export function hashStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, FNV_PRIME);
}

/** The hash of `text[0, end)`. */
export function hashPrefix(text: string, end: number = text.length): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < end; i++) hash = hashStep(hash, text.charCodeAt(i));
  return hash;
}
