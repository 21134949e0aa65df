import { IngressClassScope, validateIngress, type Diagnostic, type Ingress, type IngressClass, type IngressValidations } from '@switchyard/core';

/** An Ingress whose file version fails validation, served at its last valid version meanwhile. */
export interface KeptIngress {
  /** `namespace/name`. */
  readonly object: string;
  /** Where the invalid version is, as its first error names it. */
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly field: string | undefined;
  readonly code: string;
}

/** What to compile from a load: the Ingresses to serve and what was kept back. */
export interface IngressesToServe {
  readonly ingresses: readonly Ingress[];
  readonly kept: readonly KeptIngress[];
  /** The validation errors of each kept Ingress's new version (compile does not see that version). */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The rule a cluster applies, for files: the API server refuses an invalid edit, so the last
 * valid version of an Ingress keeps serving. Here an Ingress in scope whose new version fails
 * validation is served at the last version that passed, if there was one; an Ingress that was
 * never valid is not served (compile leaves it out and reports why). An Ingress that left the
 * files is gone: deleting an object is a valid edit.
 */
export class LastValidIngresses {
  private lastValid = new Map<string, Ingress>();
  /**
   * The validation problems of each Ingress object validated: a watched reload hands back the
   * same objects for the files that did not change (they are read-only), so only the changed
   * ones are validated again (at 10,000 paths, validating all took 4 ms per reload). Weak: an
   * object no load holds any more goes with its entry, and no map is made again per load.
   */
  private readonly validated = new WeakMap<Ingress, readonly Diagnostic[]>();
  /** The validations made, for `compile` not to make them again (`CompileOptions.validated`). */
  readonly validations: IngressValidations = this.validated;
  /** The last select, for the next to start from when only some Ingresses changed (`selectChanged`). */
  private last: LastSelect | undefined;

  /** The Ingresses to compile from a fresh load, remembering the valid ones for the next load. */
  select(ingresses: readonly Ingress[], ingressClass: string | undefined, ingressClasses: readonly IngressClass[]): IngressesToServe {
    const changed = this.selectChanged(ingresses, ingressClass, ingressClasses);
    if (changed !== undefined) return changed;
    const scope = new IngressClassScope(ingressClass, ingressClasses);
    const next = new Map<string, Ingress>();
    const ids: Array<string | undefined> = [];
    // A name twice among ours: what one copy gets depends on the other, so the next select looks at both.
    const named = new Set<string>();
    let repeated = false;
    const serve: Ingress[] = [];
    const kept: KeptIngress[] = [];
    const diagnostics: Diagnostic[] = [];
    // Indexed: this runs once per reload, in V8's interpreter or baseline code, where a for-of allocates per element.
    for (let i = 0; i < ingresses.length; i++) {
      const ingress = ingresses[i]!;
      const id = idOf(ingress);
      const inScope = id !== undefined && scope.decide(ingress).inScope;
      if (inScope) {
        if (named.has(id)) repeated = true;
        named.add(id);
      }
      // Out of scope, nameless, or a second copy of a name: compile decides and reports as before.
      if (!inScope || next.has(id)) {
        ids.push(undefined);
        serve.push(ingress);
        continue;
      }
      ids.push(id);
      const previous = this.lastValid.get(id);
      const problems = this.problemsOf(ingress, previous);
      if (problems.length === 0 || previous === undefined) {
        if (problems.length === 0) next.set(id, ingress);
        serve.push(ingress);
        continue;
      }
      next.set(id, previous);
      serve.push(previous);
      diagnostics.push(...problems);
      const first = problems[0]!;
      kept.push({ object: id, file: first.source?.file, line: first.source?.line, field: first.field, code: first.code });
    }
    this.lastValid = next;
    const result = { ingresses: serve, kept, diagnostics };
    this.last = repeated ? undefined : { ingresses: ingresses.slice(), ingressClass, ingressClasses: ingressClasses.slice(), ids, result };
    return result;
  }

  /**
   * The select of a load that differs from the last only in some Ingresses, each another valid
   * version of the one at its index (the same name, in scope), when the last kept none back and
   * held no name twice: the
   * last one's list with those replaced, and only those looked at (a reload of one file of a
   * hundred looks at one Ingress, not a hundred). Undefined when that is not so.
   */
  private selectChanged(ingresses: readonly Ingress[], ingressClass: string | undefined, ingressClasses: readonly IngressClass[]): IngressesToServe | undefined {
    const last = this.last;
    if (last === undefined || last.result.kept.length > 0 || ingresses.length !== last.ingresses.length || ingressClass !== last.ingressClass || !sameItems(ingressClasses, last.ingressClasses)) return undefined;
    let scope: IngressClassScope | undefined;
    let serve: Ingress[] | undefined;
    for (let i = 0; i < ingresses.length; i++) {
      const ingress = ingresses[i]!;
      if (ingress === last.ingresses[i]) continue;
      const id = last.ids[i];
      if (id === undefined || idOf(ingress) !== id) return undefined;
      scope ??= new IngressClassScope(ingressClass, ingressClasses);
      if (!scope.decide(ingress).inScope || this.problemsOf(ingress, this.lastValid.get(id)).length > 0) return undefined;
      serve ??= last.result.ingresses.slice();
      serve[i] = ingress;
    }
    if (serve === undefined) return last.result;
    // Only now, when every change is one: a select that falls back to the whole list starts from the last valid versions as they were.
    for (let i = 0; i < ingresses.length; i++) if (ingresses[i] !== last.ingresses[i]) this.lastValid.set(last.ids[i]!, ingresses[i]!);
    const result = { ingresses: serve, kept: [], diagnostics: [] };
    this.last = { ...last, ingresses: ingresses.slice(), result };
    return result;
  }

  /** `valid`: the Ingress's last valid version, whose rules and paths it shares are not validated again. */
  private problemsOf(ingress: Ingress, valid: Ingress | undefined): readonly Diagnostic[] {
    let problems = this.validated.get(ingress);
    if (problems === undefined) this.validated.set(ingress, (problems = validateIngress(ingress, valid)));
    return problems;
  }
}

/** A select: what it was given, the name each Ingress was kept under (undefined: not ours to keep), and what it gave. */
interface LastSelect {
  readonly ingresses: readonly Ingress[];
  readonly ingressClass: string | undefined;
  readonly ingressClasses: readonly IngressClass[];
  readonly ids: ReadonlyArray<string | undefined>;
  readonly result: IngressesToServe;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function idOf(ingress: Ingress): string | undefined {
  const name = ingress?.metadata?.name;
  if (typeof name !== 'string' || name === '') return undefined;
  const namespace = ingress.metadata.namespace;
  return `${typeof namespace === 'string' && namespace !== '' ? namespace : 'default'}/${name}`;
}
