import { PRINTER_COLUMNS, type PrinterColumn } from './printer-columns.js';
import type { ResourceType } from './resources.js';
import type { KubeObject } from './types.js';

const NAME_DESCRIPTION = 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

/** Whether an `Accept` header asks for a `meta.k8s.io` Table, as kubectl's `get` does. */
export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /;\s*as=Table/.test(accept);
}

/** Whether the fixture can render `resource` as a Table (see `PRINTER_COLUMNS`). */
export function hasTable(resource: ResourceType): boolean {
  return PRINTER_COLUMNS.has(resource.kind);
}

/**
 * The `meta.k8s.io/v1` Table the API server sends for `kubectl get`: Name, then the kind's
 * columns; each row carries the object's metadata as a PartialObjectMetadata (kubectl's default
 * `includeObject=Metadata`). Dates are rendered as ages, the way the server renders them.
 */
export function toTable(resource: ResourceType, objects: readonly KubeObject[], listMetadata: Record<string, unknown>, now = Date.now()): Record<string, unknown> {
  const columns = PRINTER_COLUMNS.get(resource.kind) ?? [];
  const custom = resource.crdBundle !== undefined;
  const columnDefinitions = [
    { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 },
    ...columns.map((c) => ({ name: c.name, type: c.type, format: '', description: c.description ?? (custom ? `Custom resource definition column (in JSONPath format): ${c.jsonPath}` : ''), priority: c.priority ?? 0 })),
  ];
  const rows = objects.map((object) => ({
    cells: [object.metadata.name, ...columns.map((c) => cell(c, object, now))],
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata },
  }));
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: listMetadata, columnDefinitions, rows };
}

function cell(column: PrinterColumn, object: KubeObject, now: number): unknown {
  const value = column.value(object);
  if (value === undefined || value === null) return column.type === 'date' ? '<unknown>' : null;
  if (column.type === 'date') return typeof value === 'string' ? humanDuration(now - Date.parse(value)) : '<unknown>';
  // A CRD string column prints what it finds: a list as JSON (`["a.example.com"]`).
  return typeof value === 'string' || column.type !== 'string' ? value : JSON.stringify(value);
}

/** apimachinery's `duration.HumanDuration`: `45s`, `3m20s`, `25m`, `5h10m`, `3d4h`, `1y20d`. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}
