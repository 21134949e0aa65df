import { crossNamespaceAttachment, sectionNameAndPort } from './attachment.js';
import { headerMatching, methodMatching, queryParamMatching } from './conditions.js';
import { hostnameIntersection, wildcardHostnames } from './hostnames.js';
import { listenerIsolation } from './listeners.js';
import { crdDefaults, pathMatching } from './paths.js';
import { conditionPrecedence, tieBreaks } from './precedence.js';
import type { GatewaySpecCase } from './spec-case.js';

/** Every spec case, for `test.each` over cases then requests. */
export const gatewaySpecCases: readonly GatewaySpecCase[] = [
  listenerIsolation,
  hostnameIntersection,
  wildcardHostnames,
  pathMatching,
  crdDefaults,
  headerMatching,
  queryParamMatching,
  methodMatching,
  conditionPrecedence,
  tieBreaks,
  crossNamespaceAttachment,
  sectionNameAndPort,
];
