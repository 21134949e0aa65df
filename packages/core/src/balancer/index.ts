export { createBackendBalancer, type BackendBalancer, type BackendBalancerOptions, type Outcome } from './backend-balancer.js';
export { parseBalancerPolicy, MAX_LEAST_REQUEST_CHOICES, type BalancerPolicy, type HashOn } from './balancer-policy.js';
export { hashKeyOf, type RequestHeaders } from './hash-key.js';
export { DEFAULT_LEAST_REQUEST_CHOICES } from './least-request.js';
export { RING_POINTS_PER_WEIGHT, MAX_RING_POINTS } from './hash-ring.js';
export {
  DEFAULT_BASE_EJECTION_MS,
  DEFAULT_CONSECUTIVE_FAILURES,
  DEFAULT_MAX_EJECTED_PERCENT,
  DEFAULT_MAX_EJECTION_MS,
  resolveOutlierDetection,
  type OutlierDetectionOptions,
} from './outlier-detection.js';
