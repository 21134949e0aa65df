import { SwitchyardError } from '../errors.js';

/** Passive outlier detection: endpoints that keep failing are left out for a while. */
export interface OutlierDetectionOptions {
  /** Connect failures or 5xx answers in a row that eject an endpoint. Default 5. */
  readonly consecutiveFailures?: number;
  /** The first ejection's length; each further one lasts this times the number of ejections. Default 30 s. */
  readonly baseEjectionMs?: number;
  /** The longest an ejection lasts. Default 300 s (or baseEjectionMs, if that is longer). */
  readonly maxEjectionMs?: number;
  /** The most of a backend's endpoints ejected at once, in percent. Default 50. */
  readonly maxEjectedPercent?: number;
}

/** Envoy's defaults (outlier_detection: consecutive_5xx, base_ejection_time, max_ejection_time, max_ejection_percent). */
const DEFAULT_CONSECUTIVE_FAILURES = 5;
const DEFAULT_BASE_EJECTION_MS = 30_000;
const DEFAULT_MAX_EJECTION_MS = 300_000;
const DEFAULT_MAX_EJECTED_PERCENT = 50;

/** Outlier detection options with every default applied. */
export interface OutlierDetectionSettings {
  readonly consecutiveFailures: number;
  readonly baseEjectionMs: number;
  readonly maxEjectionMs: number;
  readonly maxEjectedPercent: number;
}

const FIELDS = new Set(['consecutiveFailures', 'baseEjectionMs', 'maxEjectionMs', 'maxEjectedPercent']);

/**
 * Checks outlier detection options once, when a balancer is made, and applies the defaults;
 * `false` turns detection off (undefined result). Throws `SWY_BALANCER_INVALID_OPTIONS` with
 * `field` naming the option (`outlierDetection.baseEjectionMs`).
 */
export function resolveOutlierDetection(value: unknown, field = 'outlierDetection'): OutlierDetectionSettings | undefined {
  if (value === false) return undefined;
  if (value === undefined) value = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(field, 'must be an object or false');
  const options = value as Record<string, unknown>;
  for (const key of Object.keys(options)) if (!FIELDS.has(key)) throw invalid(`${field}.${key}`, 'is not an outlier detection option');

  const consecutiveFailures = options['consecutiveFailures'] ?? DEFAULT_CONSECUTIVE_FAILURES;
  if (typeof consecutiveFailures !== 'number' || !Number.isInteger(consecutiveFailures) || consecutiveFailures < 1) {
    throw invalid(`${field}.consecutiveFailures`, 'must be a positive integer');
  }
  const baseEjectionMs = options['baseEjectionMs'] ?? DEFAULT_BASE_EJECTION_MS;
  if (!isPositiveFinite(baseEjectionMs)) throw invalid(`${field}.baseEjectionMs`, 'must be a positive number of milliseconds');
  // Left unset, the cap never undercuts a long base; set, it must not.
  const maxEjectionMs = options['maxEjectionMs'] ?? Math.max(DEFAULT_MAX_EJECTION_MS, baseEjectionMs);
  if (!isPositiveFinite(maxEjectionMs) || maxEjectionMs < baseEjectionMs) {
    throw invalid(`${field}.maxEjectionMs`, 'must be a number of milliseconds no smaller than baseEjectionMs');
  }
  const maxEjectedPercent = options['maxEjectedPercent'] ?? DEFAULT_MAX_EJECTED_PERCENT;
  if (typeof maxEjectedPercent !== 'number' || !(maxEjectedPercent >= 0 && maxEjectedPercent <= 100)) {
    throw invalid(`${field}.maxEjectedPercent`, 'must be a number from 0 to 100');
  }
  return Object.freeze({ consecutiveFailures, baseEjectionMs, maxEjectionMs, maxEjectedPercent });
}

function isPositiveFinite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function invalid(field: string, problem: string): SwitchyardError {
  return new SwitchyardError('SWY_BALANCER_INVALID_OPTIONS', `${field} ${problem}`, { field });
}
