import type { Diagnostic } from '../diagnostics.js';
import type { LoadedManifests } from '../manifests/load-manifests.js';
import { manifestPlaceOf, setManifestSource, type ManifestPlace } from '../manifests/manifest-source.js';
import type { Ingress, IngressClass, KubernetesObject } from '../model.js';
import { applyPatch, copyPatch, diffValue, SAME, type ValuePatch } from './value-patch.js';

/** One object of a file read again, as the parse worker sends it. */
export interface ObjectPatch {
  /** The index, among the objects last sent for the file, of the object `patch` is made from; -1 for none (then `patch` is `{ v }`). */
  readonly from: number;
  /** `SAME`: the object sent before is this one, place and all. */
  readonly patch: ValuePatch;
  /** Where the object was read from, for an object that is not `SAME`. */
  readonly place: ManifestPlace | undefined;
}

/** A file's objects as patches of the objects last sent for it; the lists of kinds by index. */
export interface LoadedPatch {
  readonly objects: readonly ObjectPatch[];
  readonly ingresses: readonly number[];
  readonly ingressClasses: readonly number[];
  readonly diagnostics: Diagnostic[];
}

/**
 * `next` (a file's objects, parsed on this thread) as patches of `before` (what was parsed from
 * the same file last time): each object against the one of the same apiVersion, kind, namespace
 * and name (at the same index, or else the first not yet taken). An object that says the same
 * and was read from the same place (document, line, field lines) is `SAME`: the serving thread
 * keeps its object, so `compile` and the discoveries reuse their work on it by identity. One that
 * says the same from another place (an object above it grew) is a new object sharing every field.
 */
export function patchLoaded(next: LoadedManifests, before: LoadedManifests | undefined): LoadedPatch {
  const versions = before === undefined ? undefined : new EarlierVersions(before.objects);
  const objects = next.objects.map((object, index): ObjectPatch => {
    const place = manifestPlaceOf(object);
    const from = versions?.take(object, index) ?? -1;
    if (from === -1) return { from, patch: { v: object }, place };
    const previous = before!.objects[from]!;
    const patch = diffValue(object, previous);
    if (patch !== SAME) return { from, patch, place };
    return samePlace(place, manifestPlaceOf(previous)) ? { from, patch, place: undefined } : { from, patch: copyPatch(object), place };
  });
  const indexOf = new Map<object, number>(next.objects.map((object, index) => [object, index]));
  return {
    objects,
    ingresses: next.ingresses.map((ingress) => indexOf.get(ingress)!),
    ingressClasses: next.ingressClasses.map((ingressClass) => indexOf.get(ingressClass)!),
    diagnostics: next.diagnostics,
  };
}

/** A file's objects as last loaded, each the earlier version of at most one object of the new load. */
class EarlierVersions {
  private readonly identities: string[];
  private readonly taken = new Set<number>();
  private byIdentity: Map<string, number[]> | undefined;

  constructor(objects: readonly KubernetesObject[]) {
    this.identities = objects.map(identityOf);
  }

  /** The index of `object`'s earlier version (at `index`, else the first with its identity not yet taken), now taken; -1 for none. */
  take(object: KubernetesObject, index: number): number {
    const identity = identityOf(object);
    let from = -1;
    if (this.identities[index] === identity && !this.taken.has(index)) from = index;
    else {
      from = this.indexesOf(identity).find((i) => !this.taken.has(i)) ?? -1;
    }
    if (from !== -1) this.taken.add(from);
    return from;
  }

  /** The indexes of the objects of `identity`, from a map made on first use (most files keep their order). */
  private indexesOf(identity: string): readonly number[] {
    if (this.byIdentity === undefined) {
      const byIdentity = new Map<string, number[]>();
      this.identities.forEach((one, i) => {
        const indexes = byIdentity.get(one);
        if (indexes === undefined) byIdentity.set(one, [i]);
        else indexes.push(i);
      });
      this.byIdentity = byIdentity;
    }
    return this.byIdentity.get(identity) ?? [];
  }
}

/** apiVersion, kind, namespace and name: what makes two objects versions of one. */
function identityOf(object: KubernetesObject): string {
  const metadata = object.metadata as { namespace?: unknown; name?: unknown } | undefined;
  return `${object.apiVersion}\n${object.kind}\n${String(metadata?.namespace)}\n${String(metadata?.name)}`;
}

/** Read from the same document and line, with the same field lines. */
function samePlace(a: ManifestPlace | undefined, b: ManifestPlace | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.source.file !== b.source.file || a.source.document !== b.source.document || a.source.line !== b.source.line) return false;
  if (a.lines === undefined || b.lines === undefined) return a.lines === b.lines;
  if (a.lines.length !== b.lines.length) return false;
  for (let i = 0; i < a.lines.length; i++) if (a.lines[i] !== b.lines[i]) return false;
  return true;
}

/**
 * The objects `patch` tells, made from `before` (the objects the same file's last patch gave on
 * this thread): the objects and fields marked `SAME` are `before`'s own.
 */
export function loadedFromPatch(patch: LoadedPatch, before: LoadedManifests | undefined): LoadedManifests {
  const objects = new Array<KubernetesObject>(patch.objects.length);
  for (let i = 0; i < patch.objects.length; i++) {
    const { from, patch: change, place } = patch.objects[i]!;
    const base = from === -1 ? undefined : before?.objects[from];
    if (from !== -1 && base === undefined) throw new Error(`object ${i} is a patch of object ${from} of the file's last load, which this thread does not have`);
    const object = applyPatch(base, change) as KubernetesObject;
    if (place !== undefined) setManifestSource(object, place.source, place.lines);
    objects[i] = object;
  }
  return {
    objects,
    ingresses: patch.ingresses.map((index) => objects[index] as unknown as Ingress),
    ingressClasses: patch.ingressClasses.map((index) => objects[index] as unknown as IngressClass),
    diagnostics: patch.diagnostics,
  };
}
