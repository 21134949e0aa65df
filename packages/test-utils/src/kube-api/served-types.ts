import { groupVersionOf, RESOURCE_TYPES, type CrdBundle, type ResourceType } from './resources.js';

/**
 * Which resource types this server serves right now: every built-in type, plus the types of
 * each installed CRD bundle. Discovery, request routing and `apply` all ask it, so a type that
 * is not installed is unknown everywhere at once, as on a cluster without its CRDs.
 */
export class ServedTypes {
  private readonly installed = new Set<CrdBundle>();
  private current: readonly ResourceType[] = [];

  constructor(bundles: Iterable<CrdBundle>) {
    for (const bundle of bundles) this.installed.add(bundle);
    this.refresh();
  }

  /** The served types, in `RESOURCE_TYPES` order. */
  get list(): readonly ResourceType[] {
    return this.current;
  }

  isInstalled(bundle: CrdBundle): boolean {
    return this.installed.has(bundle);
  }

  /** Returns whether anything changed. */
  install(bundle: CrdBundle): boolean {
    if (this.installed.has(bundle)) return false;
    this.installed.add(bundle);
    this.refresh();
    return true;
  }

  /** Returns whether anything changed. */
  uninstall(bundle: CrdBundle): boolean {
    if (!this.installed.delete(bundle)) return false;
    this.refresh();
    return true;
  }

  serves(type: ResourceType): boolean {
    return type.crdBundle === undefined || this.installed.has(type.crdBundle);
  }

  /** The served type at `/api(s)/<groupVersion>/<plural>`. */
  at(groupVersion: string, plural: string): ResourceType | undefined {
    return this.current.find((t) => groupVersionOf(t) === groupVersion && t.plural === plural);
  }

  private refresh(): void {
    this.current = RESOURCE_TYPES.filter((t) => this.serves(t));
  }
}
