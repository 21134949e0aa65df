export { Reflector, keyOf, type ReflectorChange, type ReflectorOptions, type ReflectorStatus } from './reflector.js';
export { KubeApiError, connectionFromKubeConfig, type KubeConnection } from './kube-client.js';
export { Backoff, type BackoffOptions } from './backoff.js';
export { KubernetesDiscovery, type KubernetesDiscoveryOptions } from './kubernetes-discovery.js';
export { IngressSource, type IngressSourceOptions } from './ingress-source.js';
export { SecretSource } from './secret-source.js';
export { KUBE_ERROR_CODES, KubeError, isKubeError, type KubeErrorCode } from './errors.js';
export type { KubeSourceOptions } from './source-options.js';
