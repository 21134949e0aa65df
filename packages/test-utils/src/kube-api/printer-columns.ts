import type { KubeObject } from './types.js';

/** One column of `kubectl get`, as a CRD's `additionalPrinterColumns` or a built-in printer defines it. */
export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'date' | 'integer';
  /** The CRD's JSONPath, for the column description; the fixture reads the value with `value`. */
  readonly jsonPath: string;
  /** 0 shows by default, 1 only with `-o wide`. */
  readonly priority?: number;
  readonly description?: string;
  /** The cell before formatting; undefined when the path finds nothing (the server sends null). */
  readonly value: (object: KubeObject) => unknown;
}

const AGE: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', value: (o) => o.metadata.creationTimestamp };
const HOSTNAMES: PrinterColumn = { name: 'Hostnames', type: 'string', jsonPath: '.spec.hostnames', value: (o) => field(o, 'spec', 'hostnames') };

/**
 * The columns after Name for the kinds whose table the fixture renders: the Gateway API CRDs'
 * `additionalPrinterColumns` (standard channel) and the built-in printers of Lease and Namespace.
 * Kinds not listed here answer a Table request with the plain object, and kubectl prints Name and Age itself.
 */
export const PRINTER_COLUMNS: ReadonlyMap<string, readonly PrinterColumn[]> = new Map<string, readonly PrinterColumn[]>([
  [
    'GatewayClass',
    [
      { name: 'Controller', type: 'string', jsonPath: '.spec.controllerName', value: (o) => field(o, 'spec', 'controllerName') },
      { name: 'Accepted', type: 'string', jsonPath: '.status.conditions[?(@.type=="Accepted")].status', value: (o) => conditionStatus(o, 'Accepted') },
      AGE,
      { name: 'Description', type: 'string', jsonPath: '.spec.description', priority: 1, value: (o) => field(o, 'spec', 'description') },
    ],
  ],
  [
    'Gateway',
    [
      { name: 'Class', type: 'string', jsonPath: '.spec.gatewayClassName', value: (o) => field(o, 'spec', 'gatewayClassName') },
      // A CRD column shows the first value a wildcard path finds.
      { name: 'Address', type: 'string', jsonPath: '.status.addresses[*].value', value: (o) => (field(o, 'status', 'addresses') as Array<{ value?: unknown }> | undefined)?.[0]?.value },
      { name: 'Programmed', type: 'string', jsonPath: '.status.conditions[?(@.type=="Programmed")].status', value: (o) => conditionStatus(o, 'Programmed') },
      AGE,
    ],
  ],
  ['HTTPRoute', [HOSTNAMES, AGE]],
  ['GRPCRoute', [HOSTNAMES, AGE]],
  ['ReferenceGrant', [AGE]],
  ['Lease', [{ name: 'Holder', type: 'string', jsonPath: '.spec.holderIdentity', description: 'The holder of the lease.', value: (o) => field(o, 'spec', 'holderIdentity') ?? '' }, builtInAge()]],
  ['Namespace', [{ name: 'Status', type: 'string', jsonPath: '.status.phase', description: 'The status of the namespace', value: (o) => field(o, 'status', 'phase') ?? '' }, builtInAge()]],
]);

function builtInAge(): PrinterColumn {
  return { ...AGE, description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' };
}

function field(object: KubeObject, ...path: string[]): unknown {
  let value: unknown = object;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

function conditionStatus(object: KubeObject, type: string): unknown {
  const conditions = field(object, 'status', 'conditions') as Array<{ type?: unknown; status?: unknown }> | undefined;
  return conditions?.find((c) => c.type === type)?.status;
}
