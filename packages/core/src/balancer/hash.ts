/**
 * A 32-bit string hash for consistent hashing: FNV-1a over the UTF-16 code units, finished with
 * MurmurHash3's fmix32 so that keys differing in one character (`user-1`, `user-2`) land far
 * apart on the ring (FNV-1a alone mixes its last characters poorly into the high bits).
 *
 * Unseeded on purpose: every replica and every restart maps a key to the same point, so N
 * stateless routers agree on where a key goes. Allocates nothing.
 */
export function hash32(text: string): number {
  return fmix32(fnv1a(FNV_OFFSET, text));
}

export const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a state `h` continued over `text`; hashing in pieces equals hashing the whole. */
export function fnv1a(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = fnv1aCode(h, text.charCodeAt(i));
  return h;
}

/** FNV-1a state `h` continued over one 16-bit code unit. */
export function fnv1aCode(h: number, code: number): number {
  return Math.imul(h ^ code, 0x01000193);
}

/** MurmurHash3's finalizer: every input bit flips each output bit with probability ~1/2. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
