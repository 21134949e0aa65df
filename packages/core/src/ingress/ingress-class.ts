import { DEFAULT_CLASS_ANNOTATION, INGRESS_CLASS_ANNOTATION, type Ingress, type IngressClass } from '../model.js';

/** Whether an Ingress is ours, and the reason when it is not. */
export type ClassDecision = { readonly inScope: true } | { readonly inScope: false; readonly field: string; readonly reason: string };

/**
 * Decides which Ingresses a controller of class `className` serves, as Kubernetes
 * controllers do: `spec.ingressClassName` first, then the legacy `kubernetes.io/ingress.class`
 * annotation, and an Ingress naming neither belongs to the class marked
 * `ingressclass.kubernetes.io/is-default-class: "true"`. With no class, every Ingress is ours.
 */
export class IngressClassScope {
  private readonly className: string | undefined;
  private readonly isDefaultClass: boolean;

  constructor(className: string | undefined, classes: readonly IngressClass[] = []) {
    this.className = className;
    this.isDefaultClass =
      className !== undefined &&
      classes.some((c) => c?.metadata?.name === className && c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  }

  decide(ingress: Ingress): ClassDecision {
    if (this.className === undefined) return { inScope: true };
    if (typeof ingress !== 'object' || ingress === null) return { inScope: true }; // validation reports it
    const named = ingress.spec?.ingressClassName;
    if (typeof named === 'string' && named !== '') {
      return named === this.className ? { inScope: true } : { inScope: false, field: 'spec.ingressClassName', reason: `spec.ingressClassName is ${JSON.stringify(named)}, not ${JSON.stringify(this.className)}` };
    }
    const annotated = ingress.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
    if (typeof annotated === 'string' && annotated !== '') {
      return annotated === this.className
        ? { inScope: true }
        : { inScope: false, field: `metadata.annotations[${INGRESS_CLASS_ANNOTATION}]`, reason: `annotation ${INGRESS_CLASS_ANNOTATION} is ${JSON.stringify(annotated)}, not ${JSON.stringify(this.className)}` };
    }
    return this.isDefaultClass
      ? { inScope: true }
      : { inScope: false, field: 'spec.ingressClassName', reason: `it names no class, and IngressClass ${JSON.stringify(this.className)} is not marked as the default` };
  }
}
