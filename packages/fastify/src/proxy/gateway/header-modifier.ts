import { PROXY_OWNED_REQUEST_HEADERS, PROXY_OWNED_RESPONSE_HEADERS, type HeaderModifier } from '@switchyard/core';

/**
 * Headers a modifier cannot touch (its entries for them are ignored; the compiler reports them
 * as `SWY_HTTPROUTE_HEADER_IGNORED` and leaves them out): core's `PROXY_OWNED_*_HEADERS`.
 */
export const UNMODIFIABLE_REQUEST_HEADERS: ReadonlySet<string> = PROXY_OWNED_REQUEST_HEADERS;
export const UNMODIFIABLE_RESPONSE_HEADERS: ReadonlySet<string> = PROXY_OWNED_RESPONSE_HEADERS;

/**
 * Applies a `RequestHeaderModifier` to the flat `[name, value, ...]` list made by
 * `forwardHeaderList`, in place (the list must be the caller's own, as that one is).
 * See `modifyHeaderList` for the semantics; a Cookie header that is added to is joined with
 * `; ` (RFC 6265 §5.4: one Cookie line, pairs separated by `; `).
 */
export function modifyRequestHeaders(modifier: HeaderModifier, headers: string[]): void {
  let plan = requestPlans.get(modifier);
  if (plan === undefined) {
    plan = planOf(modifier, UNMODIFIABLE_REQUEST_HEADERS, REQUEST_SEPARATORS);
    requestPlans.set(modifier, plan);
  }
  modifyHeaderList(plan, headers);
}

/**
 * Applies a `ResponseHeaderModifier` to the flat list made by `responseHead`, in place. See
 * `modifyHeaderList`; an added Set-Cookie is always a line of its own (RFC 9110 §5.3: its
 * values cannot be joined with commas).
 */
export function modifyResponseHeaders(modifier: HeaderModifier, head: string[]): void {
  let plan = responsePlans.get(modifier);
  if (plan === undefined) {
    plan = planOf(modifier, UNMODIFIABLE_RESPONSE_HEADERS, RESPONSE_SEPARATORS);
    responsePlans.set(modifier, plan);
  }
  modifyHeaderList(plan, head);
}

/** What a modifier does to one header name, with its remove, set and add already combined. */
interface HeaderEdit {
  /** Lowercase: the name a header added by the modifier is written with. */
  readonly name: string;
  /** This edit's index in the plan's `lastLine` scratch. */
  readonly slot: number;
  /**
   * True: every line of the header goes, replaced by one line with `value` (set, or remove
   * then add) where the first was, or at the end; with `value` undefined (remove alone),
   * nothing replaces them. False: `value` is appended (add alone).
   */
  readonly replace: boolean;
  readonly value: string | undefined;
  /** Appending: joined onto the header's last line with this; undefined: a new line. */
  readonly separator: string | undefined;
}

/** A modifier made ready for one pass over a header list; built once per modifier. */
interface HeaderPlan {
  readonly byName: ReadonlyMap<string, HeaderEdit>;
  readonly edits: readonly HeaderEdit[];
  /** Lengths of the touched names: most header names are ruled out before any lowercasing. */
  readonly nameLengths: ReadonlySet<number>;
  /**
   * Per call scratch, reset at its start: the list index of the header's line kept (replace)
   * or last seen (append), -1 when none. One per plan, so a call allocates nothing: the
   * function is synchronous and never re-entered.
   */
  readonly lastLine: Int32Array;
}

// Keyed by the compiled modifier, which lives as long as its route table: bounded by the
// configuration, never by request input, and dropped with the table.
const requestPlans = new WeakMap<HeaderModifier, HeaderPlan>();
const responsePlans = new WeakMap<HeaderModifier, HeaderPlan>();

const REQUEST_SEPARATORS: ReadonlyMap<string, string | undefined> = new Map([['cookie', '; ']]);
const RESPONSE_SEPARATORS: ReadonlyMap<string, string | undefined> = new Map([['set-cookie', undefined]]);
const DEFAULT_SEPARATOR = ',';

/**
 * One pass over `headers`, rewriting it in place: the modifier's `remove`, then `set`, then
 * `add` (the order the spec's filter describes), names compared case-insensitively.
 * - remove: every line of the header goes;
 * - set: every line goes, one line with the value takes the first one's place (or is
 *   appended when there was none);
 * - add: the value is appended to the header's last line after a `,` (`foo` + `bar` →
 *   `foo,bar`, as the conformance tests expect), or is a new line when there was none.
 * Headers the modifier does not name keep their order, spelling and values. Nothing is
 * allocated beyond the joined value strings (and the list's growth when headers are added).
 */
function modifyHeaderList(plan: HeaderPlan, headers: string[]): void {
  const edits = plan.edits;
  if (edits.length === 0) return;
  const byName = plan.byName;
  const nameLengths = plan.nameLengths;
  const lastLine = plan.lastLine;
  lastLine.fill(-1);
  const length = headers.length;
  let kept = 0;
  for (let i = 0; i < length; i += 2) {
    const name = headers[i]!;
    if (nameLengths.has(name.length)) {
      const edit = byName.get(name.toLowerCase());
      if (edit !== undefined) {
        if (edit.replace) {
          // Only the first line of a replaced header stays, with the new value.
          if (edit.value === undefined || lastLine[edit.slot]! >= 0) continue;
          lastLine[edit.slot] = kept;
          headers[kept] = name;
          headers[kept + 1] = edit.value;
          kept += 2;
          continue;
        }
        lastLine[edit.slot] = kept;
      }
    }
    if (kept !== i) {
      headers[kept] = name;
      headers[kept + 1] = headers[i + 1]!;
    }
    kept += 2;
  }
  if (kept !== length) headers.length = kept;
  for (let e = 0; e < edits.length; e++) {
    const edit = edits[e]!;
    const value = edit.value;
    if (value === undefined) continue;
    const line = lastLine[edit.slot]!;
    if (edit.replace) {
      if (line < 0) headers.push(edit.name, value);
    } else if (line >= 0 && edit.separator !== undefined) {
      const existing = headers[line + 1]!;
      headers[line + 1] = existing.length === 0 ? value : existing + edit.separator + value;
    } else {
      headers.push(edit.name, value);
    }
  }
}

/**
 * Combines the modifier's lists per name, as if applied in order (remove, set, add). Of two
 * entries for one name in the same list, the first counts (as for the spec's HTTPHeader lists,
 * where later entries with an equivalent name are ignored); names in `unmodifiable` are left out.
 */
function planOf(modifier: HeaderModifier, unmodifiable: ReadonlySet<string>, separators: ReadonlyMap<string, string | undefined>): HeaderPlan {
  const removed = new Set<string>();
  const setTo = new Map<string, string>();
  const added = new Map<string, string>();
  for (const name of modifier.remove) removed.add(name.toLowerCase());
  for (const [name, value] of modifier.set) {
    const lower = name.toLowerCase();
    if (!setTo.has(lower)) setTo.set(lower, value);
  }
  for (const [name, value] of modifier.add) {
    const lower = name.toLowerCase();
    if (!added.has(lower)) added.set(lower, value);
  }
  const byName = new Map<string, HeaderEdit>();
  const edits: HeaderEdit[] = [];
  // Insertion order: set entries first, then adds, then removes; headers the modifier adds
  // appear in the order the modifier lists them.
  for (const name of new Set([...setTo.keys(), ...added.keys(), ...removed])) {
    if (unmodifiable.has(name)) continue;
    const set = setTo.get(name);
    const add = added.get(name);
    const separator = separators.has(name) ? separators.get(name) : DEFAULT_SEPARATOR;
    let edit: HeaderEdit;
    if (set !== undefined) {
      // Set then add: the added value joins the set one (or, for Set-Cookie, takes its own line).
      if (add !== undefined && separator === undefined) {
        edits.push(newEdit(edits.length, name, true, set, separator), newEdit(edits.length + 1, name, false, add, undefined));
        byName.set(name, edits[edits.length - 2]!);
        continue;
      }
      edit = newEdit(edits.length, name, true, add === undefined ? set : set + separator + add, separator);
    } else if (removed.has(name)) {
      edit = newEdit(edits.length, name, true, add, separator);
    } else {
      edit = newEdit(edits.length, name, false, add, separator);
    }
    edits.push(edit);
    byName.set(name, edit);
  }
  return { byName, edits, nameLengths: new Set(edits.map((edit) => edit.name.length)), lastLine: new Int32Array(edits.length) };
}

function newEdit(slot: number, name: string, replace: boolean, value: string | undefined, separator: string | undefined): HeaderEdit {
  return { name, slot, replace, value, separator };
}
