import { IngressClassScope, validateIngress, type Diagnostic, type Ingress, type IngressClass } from '@switchyard/core';

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

  /** The Ingresses to compile from a fresh load, remembering the valid ones for the next load. */
  select(ingresses: readonly Ingress[], ingressClass: string | undefined, ingressClasses: readonly IngressClass[]): IngressesToServe {
    const scope = new IngressClassScope(ingressClass, ingressClasses);
    const next = new Map<string, Ingress>();
    const serve: Ingress[] = [];
    const kept: KeptIngress[] = [];
    const diagnostics: Diagnostic[] = [];
    // Indexed: this runs once per reload, in V8's interpreter or baseline code, where a for-of allocates per element.
    for (let i = 0; i < ingresses.length; i++) {
      const ingress = ingresses[i]!;
      const id = idOf(ingress);
      // Out of scope, nameless, or a second copy of a name: compile decides and reports as before.
      if (id === undefined || next.has(id) || !scope.decide(ingress).inScope) {
        serve.push(ingress);
        continue;
      }
      let problems = this.validated.get(ingress);
      if (problems === undefined) this.validated.set(ingress, (problems = validateIngress(ingress)));
      const previous = this.lastValid.get(id);
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
    return { ingresses: serve, kept, diagnostics };
  }
}

function idOf(ingress: Ingress): string | undefined {
  const name = ingress?.metadata?.name;
  if (typeof name !== 'string' || name === '') return undefined;
  const namespace = ingress.metadata.namespace;
  return `${typeof namespace === 'string' && namespace !== '' ? namespace : 'default'}/${name}`;
}
