import { CORE_SCHEMA, defineMappingTag, defineScalarTag, NOT_RESOLVED, type Schema } from 'js-yaml';

/*
 * js-yaml's tags for the YAML 1.2 core schema, resolved exactly as the `yaml` package resolves
 * them (its `core` schema, which `loadManifests` has always used): the fast reader must give
 * the very values the `yaml` reader gives. js-yaml's own core tags differ in corners (it reads
 * `0b101` as 5 and `-0` as 0, and a `~` key as "null"); these follow `yaml`. A manifests test
 * compares both readers over generated scalars and documents.
 */

const DIGITS = '0123456789'.split('');

type ScalarRules = ReadonlyArray<readonly [RegExp, (source: string) => unknown]>;

/** An implicit scalar type: the first characters a plain scalar may start with to be tried for it (js-yaml's `implicitFirstChars`), and its rules. */
interface ImplicitType {
  readonly firstChars: readonly string[];
  readonly rules: ScalarRules;
}

const NULL: ImplicitType = { firstChars: ['', '~', 'n', 'N'], rules: [[/^(?:~|[Nn]ull|NULL)?$/, () => null]] };
const BOOL: ImplicitType = { firstChars: ['t', 'T', 'f', 'F'], rules: [[/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (source) => source[0] === 't' || source[0] === 'T']] };
const INT: ImplicitType = {
  firstChars: ['-', '+', ...DIGITS],
  rules: [
    [/^0o[0-7]+$/, (source) => parseInt(source.slice(2), 8)],
    [/^[-+]?[0-9]+$/, (source) => parseInt(source, 10)],
    [/^0x[0-9a-fA-F]+$/, (source) => parseInt(source.slice(2), 16)],
  ],
};
const FLOAT: ImplicitType = {
  firstChars: ['-', '+', '.', ...DIGITS],
  rules: [
    [/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (source) => (source.slice(-3).toLowerCase() === 'nan' ? NaN : source[0] === '-' ? -Infinity : Infinity)],
    [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (source) => parseFloat(source)],
    [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (source) => parseFloat(source)],
  ],
};

/** The value of the first rule whose pattern matches `source`; `NOT_RESOLVED` for none. */
function firstMatch(rules: ScalarRules, source: string): unknown {
  for (const [pattern, construct] of rules) if (pattern.test(source)) return construct(source);
  return NOT_RESOLVED;
}

/** The rules a plain scalar can match, by its first character. The types' patterns match disjoint sources, so their order is free. */
const RULES_BY_FIRST = new Map<string, ScalarRules>();
for (const type of [NULL, BOOL, INT, FLOAT]) for (const first of type.firstChars) RULES_BY_FIRST.set(first, [...(RULES_BY_FIRST.get(first) ?? []), ...type.rules]);

/**
 * The value of a plain scalar, as the tags below (and `yaml`'s core schema) resolve it: null,
 * a boolean, an integer, a float, or else the text itself. The block reader's resolver.
 */
export function resolvePlainScalar(source: string): unknown {
  const rules = RULES_BY_FIRST.get(source.slice(0, 1));
  const value = rules === undefined ? NOT_RESOLVED : firstMatch(rules, source);
  return value === NOT_RESOLVED ? source : value;
}

/** A js-yaml scalar tag of an implicit type, never chosen to write a value (the reader only reads). */
function implicitTag(name: string, type: ImplicitType) {
  return defineScalarTag(name, { implicit: true, implicitFirstChars: [...type.firstChars], resolve: (source: string) => firstMatch(type.rules, source), identify: () => false });
}

const nullTag = implicitTag('tag:yaml.org,2002:null', NULL);
const boolTag = implicitTag('tag:yaml.org,2002:bool', BOOL);
const intTag = implicitTag('tag:yaml.org,2002:int', INT);
const floatTag = implicitTag('tag:yaml.org,2002:float', FLOAT);

/** `yaml`'s name for a mapping key: `''` for null, `String(key)` for any other scalar. */
export function keyName(key: unknown): string {
  return key === null ? '' : String(key);
}

/**
 * The key names of each mapping the reader builds, in the order the document writes them (an
 * object's own key order puts integer-like names first). Set only while `constructWithKeyOrder` runs.
 */
let keyOrder: Map<object, string[]> | undefined;

const mapTag = defineMappingTag<Record<string, unknown>>('tag:yaml.org,2002:map', {
  create: () => ({}),
  addPair(map, key, value) {
    if (key !== null && typeof key === 'object') return 'a key that is a mapping or a sequence';
    const name = keyName(key);
    if (name === '__proto__') Object.defineProperty(map, name, { value, enumerable: true, configurable: true, writable: true });
    else map[name] = value;
    if (keyOrder !== undefined) {
      const names = keyOrder.get(map);
      if (names === undefined) keyOrder.set(map, [name]);
      else names.push(name);
    }
    return '';
  },
  has: (map, key) => (key === null || typeof key !== 'object') && Object.hasOwn(map, keyName(key)),
  keys: (map) => Object.keys(map),
  get: (map, key) => map[keyName(key)],
  identify: () => false,
});

/** The schema of the fast reader: the core schema, resolved as `yaml` resolves it. */
export const YAML_CORE_SCHEMA: Schema = CORE_SCHEMA.withTags(nullTag, boolTag, intTag, floatTag, mapTag);

/** Runs `construct` and gives, beside its result, the key names of each mapping it built, in document order. */
export function constructWithKeyOrder<T>(construct: () => T): { readonly result: T; readonly keyOrder: ReadonlyMap<object, readonly string[]> } {
  const order = new Map<object, string[]>();
  keyOrder = order;
  try {
    return { result: construct(), keyOrder: order };
  } finally {
    keyOrder = undefined;
  }
}
