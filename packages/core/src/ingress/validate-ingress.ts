import type { Diagnostic } from '../diagnostics.js';
import type { ErrorCode } from '../errors.js';
import { manifestSourceOf } from '../manifests/manifest-source.js';
import { INGRESS_CLASS_ANNOTATION, type Ingress } from '../model.js';
import {
  dns1035LabelProblem,
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  hostProblem,
  pathSegmentNameProblem,
  portNameProblem,
  portNumberProblem,
  tlsHostProblem,
} from './names.js';
import { objectName } from './object-ref.js';

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'];
// The API server refuses these in Exact and Prefix paths (directory traversal).
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

type Report = (code: ErrorCode, field: string, message: string) => void;

/** No rule of a valid earlier version at this index: equal to nothing a list holds. */
const NONE = Symbol('none');

/**
 * Validates an Ingress the way the Kubernetes API server does (networking/v1
 * `ValidateIngressSpec` and friends), checking field types too since the input may be any
 * parsed YAML. Returns one `error` diagnostic per problem; an empty list means valid.
 *
 * `valid`: an earlier version of the same Ingress that this function found valid (an empty
 * list). A rule of `ingress`, or a path of a rule, that is the very object `valid` holds at the
 * same index is not looked at again: a problem-free object stays so (none of these objects is
 * changed in place: `switchyard serve` reads its files into read-only objects, sharing what an
 * edit left alone). A file rewritten for one path is validated for that path.
 */
export function validateIngress(ingress: Ingress, valid?: Ingress): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const object = objectName(isRecord(ingress) ? ingress.metadata : undefined);
  const report: Report = (code, field, message) => {
    // The line of the field itself, where the object was read from a file.
    const source = manifestSourceOf(ingress, field);
    diagnostics.push({ code, severity: 'error', object, field, message, ...(source ? { source } : {}) });
  };
  if (!isRecord(ingress)) {
    report('SWY_INGRESS_FIELD_INVALID', '', 'an Ingress must be an object');
    return diagnostics;
  }
  validateMetadata(ingress, report);
  const spec: unknown = ingress.spec;
  if (spec === undefined || spec === null) {
    report('SWY_INGRESS_SPEC_EMPTY', 'spec', 'either `defaultBackend` or `rules` must be specified');
    return diagnostics;
  }
  if (!isRecord(spec)) {
    report('SWY_INGRESS_FIELD_INVALID', 'spec', 'must be an object');
    return diagnostics;
  }
  const rules = spec.rules;
  if ((rules === undefined || rules === null || (Array.isArray(rules) && rules.length === 0)) && spec.defaultBackend == null) {
    report('SWY_INGRESS_SPEC_EMPTY', 'spec', 'either `defaultBackend` or `rules` must be specified');
  }
  if (spec.defaultBackend != null) validateBackend(spec.defaultBackend, 'spec.defaultBackend', report);
  if (rules != null) {
    if (!Array.isArray(rules)) report('SWY_INGRESS_FIELD_INVALID', 'spec.rules', 'must be a list');
    else {
      const validRules = listAt(valid?.spec, 'rules');
      for (let i = 0; i < rules.length; i++) {
        const rule: unknown = rules[i];
        // A rule or path of `valid` passed: the same object is not looked at again.
        const validRule = validRules !== undefined && i < validRules.length ? validRules[i] : NONE;
        if (rule !== validRule) validateRule(rule, `spec.rules[${i}]`, report, validRule);
      }
    }
  }
  if (spec.tls != null) validateTls(spec.tls, report);
  validateClass(ingress, spec, report);
  return diagnostics;
}

function validateMetadata(ingress: Record<string, unknown>, report: Report): void {
  const metadata = ingress.metadata;
  if (!isRecord(metadata)) {
    report('SWY_INGRESS_METADATA_INVALID', 'metadata', 'metadata with a name is required');
    return;
  }
  const { name, namespace, creationTimestamp, annotations } = metadata;
  if (typeof name !== 'string' || name === '') {
    report('SWY_INGRESS_METADATA_INVALID', 'metadata.name', 'name is required');
  } else {
    checkName(dns1123SubdomainProblem(name), 'SWY_INGRESS_METADATA_INVALID', 'metadata.name', name, report);
  }
  if (namespace != null) {
    if (typeof namespace !== 'string') report('SWY_INGRESS_METADATA_INVALID', 'metadata.namespace', 'must be a string');
    else if (namespace !== '') checkName(dns1123LabelProblem(namespace), 'SWY_INGRESS_METADATA_INVALID', 'metadata.namespace', namespace, report);
  }
  if (creationTimestamp != null && !(creationTimestamp instanceof Date) && (typeof creationTimestamp !== 'string' || Number.isNaN(Date.parse(creationTimestamp)))) {
    report('SWY_INGRESS_METADATA_INVALID', 'metadata.creationTimestamp', 'must be an RFC 3339 time');
  }
  if (annotations != null && (!isRecord(annotations) || Object.values(annotations).some((v) => typeof v !== 'string'))) {
    report('SWY_INGRESS_METADATA_INVALID', 'metadata.annotations', 'must map strings to strings');
  }
}

/** `validRule`: the rule at the same index of a valid earlier version: its paths are not looked at again. */
function validateRule(rule: unknown, field: string, report: Report, validRule: unknown): void {
  if (!isRecord(rule)) {
    report('SWY_INGRESS_FIELD_INVALID', field, 'must be an object');
    return;
  }
  const { host, http } = rule;
  if (host != null && host !== '') {
    if (typeof host !== 'string') report('SWY_INGRESS_FIELD_INVALID', `${field}.host`, 'must be a string');
    else checkName(hostProblem(host), 'SWY_INGRESS_HOST_INVALID', `${field}.host`, host, report);
  }
  if (http == null) return;
  if (!isRecord(http)) {
    report('SWY_INGRESS_FIELD_INVALID', `${field}.http`, 'must be an object');
    return;
  }
  const paths = http.paths;
  if (paths == null || (Array.isArray(paths) && paths.length === 0)) {
    report('SWY_INGRESS_PATHS_EMPTY', `${field}.http.paths`, 'at least one path is required');
  } else if (!Array.isArray(paths)) {
    report('SWY_INGRESS_FIELD_INVALID', `${field}.http.paths`, 'must be a list');
  } else {
    const validPaths = isRecord(validRule) ? listAt(validRule.http, 'paths') : undefined;
    for (let i = 0; i < paths.length; i++) {
      const path: unknown = paths[i];
      if (validPaths === undefined || i >= validPaths.length || path !== validPaths[i]) validatePath(path, `${field}.http.paths[${i}]`, report);
    }
  }
}

function validatePath(entry: unknown, field: string, report: Report): void {
  if (!isRecord(entry)) {
    report('SWY_INGRESS_FIELD_INVALID', field, 'must be an object');
    return;
  }
  const { path, pathType } = entry;
  if (pathType == null) {
    report('SWY_INGRESS_PATH_TYPE_INVALID', `${field}.pathType`, 'pathType must be specified');
  } else if (typeof pathType !== 'string' || !PATH_TYPES.includes(pathType)) {
    report('SWY_INGRESS_PATH_TYPE_INVALID', `${field}.pathType`, `Unsupported value ${JSON.stringify(pathType)}: supported values: "Exact", "ImplementationSpecific", "Prefix"`);
  }
  if (path != null && typeof path !== 'string') {
    report('SWY_INGRESS_FIELD_INVALID', `${field}.path`, 'must be a string');
  } else if (pathType === 'Exact' || pathType === 'Prefix') {
    const value = (path as string | undefined) ?? '';
    if (!value.startsWith('/')) report('SWY_INGRESS_PATH_INVALID', `${field}.path`, `${JSON.stringify(value)}: must be an absolute path`);
    for (const sequence of INVALID_PATH_SEQUENCES) {
      if (value.includes(sequence)) report('SWY_INGRESS_PATH_INVALID', `${field}.path`, `${JSON.stringify(value)}: must not contain '${sequence}'`);
    }
    for (const suffix of INVALID_PATH_SUFFIXES) {
      if (value.endsWith(suffix)) report('SWY_INGRESS_PATH_INVALID', `${field}.path`, `${JSON.stringify(value)}: cannot end with '${suffix}'`);
    }
  } else if (pathType === 'ImplementationSpecific' && typeof path === 'string' && path !== '' && !path.startsWith('/')) {
    report('SWY_INGRESS_PATH_INVALID', `${field}.path`, `${JSON.stringify(path)}: must be an absolute path`);
  }
  if (entry.backend == null) report('SWY_INGRESS_BACKEND_INVALID', `${field}.backend`, 'resource or service backend is required');
  else validateBackend(entry.backend, `${field}.backend`, report);
}

function validateBackend(backend: unknown, field: string, report: Report): void {
  if (!isRecord(backend)) {
    report('SWY_INGRESS_FIELD_INVALID', field, 'must be an object');
    return;
  }
  const { service, resource } = backend;
  if (service != null && resource != null) {
    report('SWY_INGRESS_BACKEND_INVALID', field, 'cannot set both resource and service backends');
  } else if (resource != null) {
    validateResource(resource, `${field}.resource`, report);
  } else if (service != null) {
    validateService(service, `${field}.service`, report);
  } else {
    report('SWY_INGRESS_BACKEND_INVALID', field, 'resource or service backend is required');
  }
}

function validateService(service: unknown, field: string, report: Report): void {
  if (!isRecord(service)) {
    report('SWY_INGRESS_FIELD_INVALID', field, 'must be an object');
    return;
  }
  const { name, port } = service;
  if (typeof name !== 'string' || name === '') {
    report('SWY_INGRESS_SERVICE_NAME_INVALID', `${field}.name`, 'service name is required');
  } else {
    checkName(dns1035LabelProblem(name), 'SWY_INGRESS_SERVICE_NAME_INVALID', `${field}.name`, name, report);
  }
  if (port != null && !isRecord(port)) {
    report('SWY_INGRESS_FIELD_INVALID', `${field}.port`, 'must be an object');
    return;
  }
  const portName: unknown = port?.name;
  const portNumber: unknown = port?.number;
  const hasName = portName != null && portName !== '';
  const hasNumber = portNumber != null && portNumber !== 0;
  if (hasName && hasNumber) {
    report('SWY_INGRESS_SERVICE_PORT_INVALID', `${field}.port`, 'cannot set both port name & port number');
  } else if (hasName) {
    if (typeof portName !== 'string') report('SWY_INGRESS_SERVICE_PORT_INVALID', `${field}.port.name`, 'must be a string');
    else checkName(portNameProblem(portName), 'SWY_INGRESS_SERVICE_PORT_INVALID', `${field}.port.name`, portName, report);
  } else if (hasNumber) {
    if (typeof portNumber !== 'number') report('SWY_INGRESS_SERVICE_PORT_INVALID', `${field}.port.number`, 'must be an integer');
    else checkName(portNumberProblem(portNumber), 'SWY_INGRESS_SERVICE_PORT_INVALID', `${field}.port.number`, String(portNumber), report);
  } else {
    report('SWY_INGRESS_SERVICE_PORT_INVALID', `${field}.port`, 'port name or number is required');
  }
}

function validateResource(resource: unknown, field: string, report: Report): void {
  if (!isRecord(resource)) {
    report('SWY_INGRESS_FIELD_INVALID', field, 'must be an object');
    return;
  }
  const { apiGroup, kind, name } = resource;
  if (apiGroup != null) {
    if (typeof apiGroup !== 'string') report('SWY_INGRESS_RESOURCE_INVALID', `${field}.apiGroup`, 'must be a string');
    else checkName(dns1123SubdomainProblem(apiGroup), 'SWY_INGRESS_RESOURCE_INVALID', `${field}.apiGroup`, apiGroup, report);
  }
  for (const [key, value] of [['kind', kind], ['name', name]] as const) {
    if (typeof value !== 'string' || value === '') report('SWY_INGRESS_RESOURCE_INVALID', `${field}.${key}`, `${key} is required`);
    else checkName(pathSegmentNameProblem(value), 'SWY_INGRESS_RESOURCE_INVALID', `${field}.${key}`, value, report);
  }
}

function validateTls(tls: unknown, report: Report): void {
  if (!Array.isArray(tls)) {
    report('SWY_INGRESS_FIELD_INVALID', 'spec.tls', 'must be a list');
    return;
  }
  tls.forEach((entry: unknown, i) => {
    const field = `spec.tls[${i}]`;
    if (!isRecord(entry)) {
      report('SWY_INGRESS_FIELD_INVALID', field, 'must be an object');
      return;
    }
    const { hosts, secretName } = entry;
    if (hosts != null && !Array.isArray(hosts)) report('SWY_INGRESS_FIELD_INVALID', `${field}.hosts`, 'must be a list');
    else if (Array.isArray(hosts)) {
      hosts.forEach((host: unknown, j) => {
        if (typeof host !== 'string') report('SWY_INGRESS_FIELD_INVALID', `${field}.hosts[${j}]`, 'must be a string');
        else checkName(tlsHostProblem(host), 'SWY_INGRESS_TLS_INVALID', `${field}.hosts[${j}]`, host, report);
      });
    }
    if (secretName != null && secretName !== '') {
      if (typeof secretName !== 'string') report('SWY_INGRESS_FIELD_INVALID', `${field}.secretName`, 'must be a string');
      else checkName(dns1123SubdomainProblem(secretName), 'SWY_INGRESS_TLS_INVALID', `${field}.secretName`, secretName, report);
    }
  });
}

function validateClass(ingress: Record<string, unknown>, spec: Record<string, unknown>, report: Report): void {
  const className = spec.ingressClassName;
  if (className == null) return;
  if (typeof className !== 'string') {
    report('SWY_INGRESS_FIELD_INVALID', 'spec.ingressClassName', 'must be a string');
    return;
  }
  checkName(dns1123SubdomainProblem(className), 'SWY_INGRESS_CLASS_INVALID', 'spec.ingressClassName', className, report);
  const metadata = ingress.metadata as Record<string, unknown> | undefined;
  const annotation = isRecord(metadata?.annotations) ? metadata.annotations[INGRESS_CLASS_ANNOTATION] : undefined;
  if (annotation != null && annotation !== className) {
    report('SWY_INGRESS_CLASS_INVALID', `metadata.annotations[${INGRESS_CLASS_ANNOTATION}]`, `names class ${JSON.stringify(annotation)} but spec.ingressClassName is ${JSON.stringify(className)}`);
  }
}

function checkName(problem: string | undefined, code: ErrorCode, field: string, value: string, report: Report): void {
  if (problem) report(code, field, `${JSON.stringify(value)}: ${problem}`);
}

/** `holder[key]` when `holder` is an object and that field a list. */
function listAt(holder: unknown, key: string): readonly unknown[] | undefined {
  if (!isRecord(holder)) return undefined;
  const list = holder[key];
  return Array.isArray(list) ? list : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
