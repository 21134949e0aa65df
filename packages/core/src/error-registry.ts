/**
 * The shape of every package's error registry: one entry per `SWY_<AREA>_<WHAT>` code, holding
 * all `docs/errors.md` says about it, so the doc is generated from the registries
 * (`pnpm errors:doc`) and cannot drift from them.
 */

/** How a code reaches the user; `docs/errors.md` renders it as the line under the code's heading. */
export interface ErrorReach {
  /**
   * `thrown` as a `SwitchyardError`; `answered` to an HTTP client with `statusCode`; a
   * `diagnostic` of `severity` in a result's `diagnostics`; an endpoint-set `problem` (the set
   * is empty or stale and says why); `reported` through a callback, an event or a log line.
   */
  readonly as: 'thrown' | 'answered' | 'diagnostic' | 'problem' | 'reported';
  /** Who throws, answers or reports it, as a phrase that follows the verb: "by `compile()`". */
  readonly via?: string;
  /** The HTTP status the code is answered with. */
  readonly statusCode?: number;
  /** A diagnostic's severity (core's `Severity`, spelled out here to keep this module free of imports). */
  readonly severity?: 'error' | 'warning' | 'info';
  /** The exit status the command line ends with. */
  readonly exitCode?: number;
  /** What `field` names, in Markdown: "`field: 'path'`", "`field` names the option". */
  readonly field?: string;
  /** Anything else the user sees of it, in Markdown: "the Ingress is left out". */
  readonly note?: string;
}

/** One code of a registry. Text is Markdown, one paragraph each. */
export interface ErrorCodeEntry {
  /** One line: what went wrong. */
  readonly summary: string;
  readonly reaches: ErrorReach;
  /** What leads to it, concretely enough to recognise. */
  readonly cause: string;
  /** What to do about it. */
  readonly fix: string;
}

/** A registry: `SWY_*` codes to their entries. */
export type ErrorRegistry = Readonly<Record<`SWY_${string}`, ErrorCodeEntry>>;

/**
 * Declares a package's error registry. Returns it frozen and typed as written, so
 * `keyof typeof REGISTRY` stays the union of its codes.
 */
export function defineErrorCodes<Codes extends ErrorRegistry>(codes: Codes): Readonly<Codes> {
  for (const entry of Object.values(codes)) Object.freeze(Object.freeze(entry).reaches);
  return Object.freeze(codes);
}
