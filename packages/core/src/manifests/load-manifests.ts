import type { Diagnostic } from '../diagnostics.js';
import type { ManifestSource } from './manifest-source.js';
import { SwitchyardError } from '../errors.js';
import { isRecord } from '../ingress/validate-ingress.js';
import { objectName } from '../ingress/object-ref.js';
import type { Ingress, IngressClass, KubernetesObject } from '../model.js';
import { manifestSourceOf, setManifestSource } from './manifest-source.js';
import { readDocuments, type FieldLines } from './read-documents.js';

export interface LoadManifestsOptions {
  /** A name for the text (its file name), used in diagnostics. */
  readonly file?: string;
}

/** Every object found in a manifest text, sorted by kind for the packages that read them. */
export interface LoadedManifests {
  /** Every object in document order, `kind: List` items flattened. */
  readonly objects: KubernetesObject[];
  /** The `networking.k8s.io/v1` Ingresses among them. */
  readonly ingresses: Ingress[];
  /** The `networking.k8s.io/v1` IngressClasses among them. */
  readonly ingressClasses: IngressClass[];
  /** Documents that do not parse or are not Kubernetes objects; the others still load. */
  readonly diagnostics: Diagnostic[];
}

const NETWORKING_V1 = 'networking.k8s.io/v1';

/** `apiVersion kind` of the objects some Switchyard package reads: routes, discovery, TLS. */
const KINDS_READ = new Set([
  'networking.k8s.io/v1 Ingress',
  'networking.k8s.io/v1 IngressClass',
  'v1 Service',
  'discovery.k8s.io/v1 EndpointSlice',
  'v1 Secret',
  'v1 Namespace',
  ...['v1', 'v1beta1'].flatMap((version) => ['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'ReferenceGrant'].map((kind) => `gateway.networking.k8s.io/${version} ${kind}`)),
]);

/** Kustomize's own file, which may hold no apiVersion or kind at all. */
const KUSTOMIZATION_FILE = /(^|[\\/])(kustomization\.ya?ml|Kustomization)$/;

/** What one text held, to tell a file of nothing we read from one with manifests. */
interface Tally {
  read: number;
  /** The documents of kinds no package reads (`Kustomization`), and kustomizations without a kind. */
  readonly skipped: string[];
  readonly kustomizationFile: boolean;
}

/**
 * Reads multi-document YAML (or JSON, which is YAML) holding Kubernetes objects. A document
 * that does not parse is reported with its document number and line and skipped; the rest
 * load. Empty documents are ignored; `kind: List` is flattened.
 */
export function loadManifests(text: string, options: LoadManifestsOptions = {}): LoadedManifests {
  if (typeof text !== 'string') {
    throw new SwitchyardError('SWY_MANIFEST_INVALID_OPTIONS', 'loadManifests(text): text must be a string');
  }
  const result: LoadedManifests = { objects: [], ingresses: [], ingressClasses: [], diagnostics: [] };
  const fileName = options.file ?? '<input>';
  const tally: Tally = { read: 0, skipped: [], kustomizationFile: options.file !== undefined && KUSTOMIZATION_FILE.test(options.file) };
  for (const document of readDocuments(text)) {
    const source = sourceOf(options.file, document.number, document.line);
    if (document.problem !== undefined) {
      result.diagnostics.push({
        code: 'SWY_MANIFEST_YAML_INVALID',
        severity: 'error',
        object: `${fileName}#${document.number}`,
        message: `document ${document.number}, ${document.problem.text}`,
        source: sourceOf(options.file, document.number, document.problem.line),
      });
      continue;
    }
    if (document.value === null || document.value === undefined) continue;
    addObject(document.value, document.fields, source, `${fileName}#${document.number}`, result, tally);
  }
  if (tally.read === 0 && tally.skipped.length > 0) {
    // A kustomization.yaml, a Deployment's file: nothing here is ours, which is not a mistake.
    result.diagnostics.push({
      code: 'SWY_MANIFEST_KIND_IGNORED',
      severity: 'info',
      object: fileName,
      message: `skipped: it holds no object Switchyard reads (${tally.skipped.join(', ')})`,
      source: sourceOf(options.file, 1, 1),
    });
  }
  return result;
}

/** Adds one object (`fields` gives the lines of its fields), or each item of a List. */
function addObject(value: unknown, fields: FieldLines | undefined, source: ManifestSource, where: string, result: LoadedManifests, tally: Tally): void {
  if (!isRecord(value) || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') {
    if (tally.kustomizationFile && isRecord(value)) {
      tally.skipped.push(`document ${source.document}: a kustomization`);
      return;
    }
    result.diagnostics.push({
      code: 'SWY_MANIFEST_OBJECT_INVALID',
      severity: 'error',
      object: isRecord(value) && isRecord(value.metadata) ? objectName(value.metadata) : where,
      message: `document ${source.document}: not a Kubernetes object (it needs apiVersion and kind)`,
      source,
    });
    return;
  }
  if (value.kind === 'List' || value.kind.endsWith('List')) {
    if (!Array.isArray(value.items)) {
      result.diagnostics.push({ code: 'SWY_MANIFEST_OBJECT_INVALID', severity: 'error', object: where, field: 'items', message: `document ${source.document}: a ${value.kind} needs a list of items`, source });
      return;
    }
    value.items.forEach((item: unknown, i: number) => addObject(item, fields?.item(i), source, `${where} items[${i}]`, result, tally));
    return;
  }
  const object = value as KubernetesObject;
  // Kept among the objects as before (a caller may read more kinds); only counted here. An
  // Ingress of another apiVersion counts as read: it gets its own warning below.
  const read = KINDS_READ.has(`${object.apiVersion} ${object.kind}`) || object.kind === 'Ingress' || object.kind === 'IngressClass';
  if (read) tally.read++;
  else tally.skipped.push(`document ${source.document}: ${object.apiVersion} ${object.kind}`);
  // The lines of the fields only of objects diagnostics can be about: a Deployment's are never asked for.
  setManifestSource(object, source, read ? fields?.lines() : undefined);
  result.objects.push(object);
  if ((object.kind === 'Ingress' || object.kind === 'IngressClass') && object.apiVersion !== NETWORKING_V1) {
    result.diagnostics.push({
      code: 'SWY_MANIFEST_VERSION_UNSUPPORTED',
      severity: 'warning',
      object: objectName(object.metadata),
      field: 'apiVersion',
      message: `${object.kind} of apiVersion ${object.apiVersion} is not read; only ${NETWORKING_V1} is`,
      source: manifestSourceOf(object, 'apiVersion') ?? source,
    });
  }
  if (object.apiVersion === NETWORKING_V1 && object.kind === 'Ingress') result.ingresses.push(object as unknown as Ingress);
  if (object.apiVersion === NETWORKING_V1 && object.kind === 'IngressClass') result.ingressClasses.push(object as unknown as IngressClass);
}

function sourceOf(file: string | undefined, document: number, line: number | undefined): ManifestSource {
  return { ...(file === undefined ? {} : { file }), document, ...(line === undefined ? {} : { line }) };
}
