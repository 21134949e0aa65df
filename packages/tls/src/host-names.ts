/**
 * Host names as the TLS store keys them: lowercase, no trailing dot. A `*.` wildcard is kept
 * under its parent domain (`*.foo.com` under `foo.com`), so a lookup is two Map reads at most.
 */

/** Anything but lowercase letters, digits, '-', '.', '*' and '_', or a trailing dot. */
const NEEDS_WORK = /[^a-z0-9\-.*_]|\.$/;

/**
 * Lowercases a server name (SNI, or a host given with a certificate) and drops one trailing
 * dot: DNS names are case-insensitive, and `example.com.` is `example.com`.
 */
export function normalizeServername(name: string): string {
  // Clients almost always send it normalized already: one native scan proves it.
  if (!NEEDS_WORK.test(name)) return name;
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * The key of the wildcard that covers `host`: its parent domain when its first label is not
 * empty (`a.foo.com` → `foo.com`, so `*.foo.com` covers one label only), else undefined.
 */
export function wildcardParentOf(host: string): string | undefined {
  const dot = host.indexOf('.');
  return dot > 0 ? host.slice(dot + 1) : undefined;
}

/** For a `*.foo.com` host, `foo.com`; for any other, undefined. */
export function wildcardKeyOf(host: string): string | undefined {
  return host.startsWith('*.') && host.length > 2 ? host.slice(2) : undefined;
}

/** Whether a certificate whose DNS names are `names` is valid for `host` (which may itself be a `*.` wildcard). */
export function namesCover(names: ReadonlySet<string>, host: string): boolean {
  if (names.has(host)) return true;
  if (host.startsWith('*.')) return false;
  const parent = wildcardParentOf(host);
  return parent !== undefined && names.has(`*.${parent}`);
}
