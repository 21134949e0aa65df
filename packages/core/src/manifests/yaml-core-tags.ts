import { CORE_SCHEMA, defineMappingTag, defineScalarTag, NOT_RESOLVED, type Schema } from 'js-yaml';

/*
 * js-yaml's tags for the YAML 1.2 core schema, resolved exactly as the `yaml` package resolves
 * them (its `core` schema, which `loadManifests` has always used): the fast reader must give
 * the very values the `yaml` reader gives. js-yaml's own core tags differ in corners (it reads
 * `0b101` as 5 and `-0` as 0, and a `~` key as "null"); these follow `yaml`. A manifests test
 * compares both readers over generated scalars and documents.
 */

const DIGITS = '0123456789'.split('');

/** Resolves a plain scalar with the first rule whose pattern matches it. */
function scalarRules(rules: ScalarRules): (source: string) => unknown {
  return (source) => {
    for (const [pattern, construct] of rules) if (pattern.test(source)) return construct(source);
    return NOT_RESOLVED;
  };
}

type ScalarRules = ReadonlyArray<readonly [RegExp, (source: string) => unknown]>;

const NULL_RULES: ScalarRules = [[/^(?:~|[Nn]ull|NULL)?$/, () => null]];
const BOOL_RULES: ScalarRules = [[/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (source) => source[0] === 't' || source[0] === 'T']];
const INT_RULES: ScalarRules = [
  [/^0o[0-7]+$/, (source) => parseInt(source.slice(2), 8)],
  [/^[-+]?[0-9]+$/, (source) => parseInt(source, 10)],
  [/^0x[0-9a-fA-F]+$/, (source) => parseInt(source.slice(2), 16)],
];
const FLOAT_RULES: ScalarRules = [
  [/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (source) => (source.slice(-3).toLowerCase() === 'nan' ? NaN : source[0] === '-' ? -Infinity : Infinity)],
  [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (source) => parseFloat(source)],
  [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (source) => parseFloat(source)],
];
/** The rules a plain scalar can match, by its first character (as the tags' `implicitFirstChars` below say). */
const RULES_BY_FIRST = new Map<string, ScalarRules>([
  ['', NULL_RULES],
  ...['~', 'n', 'N'].map((c) => [c, NULL_RULES] as const),
  ...['t', 'T', 'f', 'F'].map((c) => [c, BOOL_RULES] as const),
  ...['-', '+', ...DIGITS].map((c) => [c, [...INT_RULES, ...FLOAT_RULES]] as const),
  ['.', FLOAT_RULES],
]);

/**
 * The value of a plain scalar, as the tags below (and `yaml`'s core schema) resolve it: null,
 * a boolean, an integer, a float, or else the text itself. The block reader's resolver.
 */
export function resolvePlainScalar(source: string): unknown {
  const rules = RULES_BY_FIRST.get(source.slice(0, 1));
  if (rules !== undefined) for (const [pattern, construct] of rules) if (pattern.test(source)) return construct(source);
  return source;
}

const nullTag = defineScalarTag('tag:yaml.org,2002:null', {
  implicit: true,
  implicitFirstChars: ['', '~', 'n', 'N'],
  resolve: scalarRules(NULL_RULES),
  identify: () => false,
});

const boolTag = defineScalarTag('tag:yaml.org,2002:bool', {
  implicit: true,
  implicitFirstChars: ['t', 'T', 'f', 'F'],
  resolve: scalarRules(BOOL_RULES),
  identify: () => false,
});

const intTag = defineScalarTag('tag:yaml.org,2002:int', {
  implicit: true,
  implicitFirstChars: ['-', '+', ...DIGITS],
  resolve: scalarRules(INT_RULES),
  identify: () => false,
});

const floatTag = defineScalarTag('tag:yaml.org,2002:float', {
  implicit: true,
  implicitFirstChars: ['-', '+', '.', ...DIGITS],
  resolve: scalarRules(FLOAT_RULES),
  identify: () => false,
});

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
