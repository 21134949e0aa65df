import type { ErrorCode } from '../errors.js';
import type { StringFormat } from './api-formats.js';

/** Reports one problem: a diagnostic for `field` of the object being validated. */
export type Report = (code: ErrorCode, field: string, message: string) => void;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export interface Presence {
  /** Report a missing (absent or null) value. */
  readonly required?: boolean;
}

export interface ListBounds extends Presence {
  readonly min?: number;
  readonly max?: number;
}

export interface IntegerBounds extends Presence {
  readonly min?: number;
  readonly max?: number;
}

/**
 * The OpenAPI schema checks of a CRD (types, required fields, lengths, patterns, enums, item
 * counts) over untrusted parsed YAML, each reporting under one error code. Every check takes
 * any value and returns it typed when it passes, or undefined: never throws. As the API server
 * does, `null` counts as absent.
 */
export class FieldChecks {
  constructor(
    private readonly report: Report,
    readonly code: ErrorCode,
  ) {}

  /** The same checks, reporting under another code. */
  as(code: ErrorCode): FieldChecks {
    return code === this.code ? this : new FieldChecks(this.report, code);
  }

  problem(field: string, message: string): void {
    this.report(this.code, field, message);
  }

  record(value: unknown, field: string, options: Presence = {}): Record<string, unknown> | undefined {
    if (!this.present(value, field, options)) return undefined;
    if (!isRecord(value)) {
      this.problem(field, `must be an object, not ${describeType(value)}`);
      return undefined;
    }
    return value;
  }

  list(value: unknown, field: string, bounds: ListBounds = {}): unknown[] | undefined {
    if (!this.present(value, field, bounds)) return undefined;
    if (!Array.isArray(value)) {
      this.problem(field, `must be a list, not ${describeType(value)}`);
      return undefined;
    }
    if (bounds.min !== undefined && value.length < bounds.min) this.problem(field, `must have at least ${bounds.min} item${bounds.min === 1 ? '' : 's'}`);
    if (bounds.max !== undefined && value.length > bounds.max) this.problem(field, `must have at most ${bounds.max} items, has ${value.length}`);
    return value;
  }

  string(value: unknown, field: string, format: StringFormat = {}, options: Presence = {}): string | undefined {
    if (!this.present(value, field, options)) return undefined;
    if (typeof value !== 'string') {
      this.problem(field, `must be a string, not ${describeType(value)}`);
      return undefined;
    }
    const problem = stringFormatProblem(value, format);
    if (problem !== undefined) {
      this.problem(field, `${quote(value)}: ${problem}`);
      return undefined;
    }
    return value;
  }

  integer(value: unknown, field: string, bounds: IntegerBounds = {}): number | undefined {
    if (!this.present(value, field, bounds)) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.problem(field, `must be an integer, not ${describeType(value)}`);
      return undefined;
    }
    const min = Math.max(bounds.min ?? INT32_MIN, INT32_MIN);
    const max = Math.min(bounds.max ?? INT32_MAX, INT32_MAX);
    if (value < min || value > max) {
      this.problem(field, `${value}: must be ${bounds.max === undefined ? `at least ${min}` : bounds.min === undefined ? `at most ${max}` : `between ${min} and ${max}, inclusive`}`);
      return undefined;
    }
    return value;
  }

  boolean(value: unknown, field: string): boolean | undefined {
    if (!this.present(value, field, {})) return undefined;
    if (typeof value !== 'boolean') {
      this.problem(field, `must be true or false, not ${describeType(value)}`);
      return undefined;
    }
    return value;
  }

  /** A value of an enum: strings (`Exact`) or integers (redirect status codes). */
  oneOf<const T extends string | number>(value: unknown, field: string, allowed: readonly T[], options: Presence = {}): T | undefined {
    if (!this.present(value, field, options)) return undefined;
    if (!(allowed as readonly unknown[]).includes(value)) {
      this.problem(field, `Unsupported value ${quote(value)}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
      return undefined;
    }
    return value as T;
  }

  /** A map of strings to strings (labels, annotations, TLS options), its keys and values checked. */
  stringMap(value: unknown, field: string, options: { maxProperties?: number; value?: StringFormat; keyProblem?: (key: string) => string | undefined } = {}): Record<string, string> | undefined {
    const map = this.record(value, field);
    if (map === undefined) return undefined;
    const entries = Object.entries(map);
    if (options.maxProperties !== undefined && entries.length > options.maxProperties) {
      this.problem(field, `must have at most ${options.maxProperties} entries, has ${entries.length}`);
    }
    let valid = true;
    for (const [key, entry] of entries) {
      const keyProblem = options.keyProblem?.(key);
      if (keyProblem !== undefined) {
        this.problem(`${field}[${key}]`, `key ${quote(key)}: ${keyProblem}`);
        valid = false;
      }
      if (typeof entry !== 'string') {
        this.problem(`${field}[${key}]`, `must be a string, not ${describeType(entry)}`);
        valid = false;
      } else if (this.string(entry, `${field}[${key}]`, options.value) === undefined) {
        valid = false;
      }
    }
    return valid ? (map as Record<string, string>) : undefined;
  }

  /**
   * Items that repeat an earlier item's key (a `listType=map` key or a `listType=set` value):
   * the API server refuses each repeat as a duplicate value.
   */
  unique(items: readonly unknown[], field: string, keyOf: (item: unknown) => string | undefined, what: string): void {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const key = keyOf(item);
      if (key === undefined) return;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else this.problem(`${field}[${i}]`, `Duplicate value: ${what} ${key} is already at ${field}[${first}]`);
    });
  }

  private present(value: unknown, field: string, options: Presence): boolean {
    if (value !== undefined && value !== null) return true;
    if (options.required === true) this.problem(field, 'Required value');
    return false;
  }
}

/** Why a string breaks a format, or undefined. Lengths count characters, as the API server does. */
export function stringFormatProblem(value: string, format: StringFormat): string | undefined {
  const length = characterCount(value);
  if (format.minLength !== undefined && length < format.minLength) return format.minLength === 1 ? 'must not be empty' : `must be at least ${format.minLength} characters`;
  if (format.maxLength !== undefined && length > format.maxLength) return `must be no more than ${format.maxLength} characters`;
  if (format.pattern !== undefined && !format.pattern.test(value)) return `must be ${format.describe ?? `a string matching ${String(format.pattern)}`}`;
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a value the API server would treat as set (`has(...)` in CEL): not absent, not null. */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A string key of an object, or undefined when the value is not a string. */
export function stringAt(object: unknown, key: string): string | undefined {
  if (!isRecord(object)) return undefined;
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return describeType(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  return typeof value === 'boolean' ? `${value}` : `a ${typeof value}`;
}

function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}
