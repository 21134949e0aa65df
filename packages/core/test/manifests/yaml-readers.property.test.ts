import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { stringify, type ToStringOptions } from 'yaml';
import { expandFieldLines } from '../../src/manifests/field-lines.js';
import { readBlockYaml } from '../../src/manifests/read-block-yaml.js';
import { readDocumentsFast, readDocumentsWithYaml, type ReadDocument } from '../../src/manifests/read-documents.js';
import { readYamlFast, type FastYaml } from '../../src/manifests/read-yaml-fast.js';

/**
 * `loadManifests` reads block-style manifest YAML with its own line reader, other plain manifest
 * YAML with js-yaml's event parser, and anything else with `yaml`. Each fast reader must give
 * what `yaml` gives: the same documents, values, start lines and field lines, and it must never
 * take a text `yaml` refuses. Set SWY_PROPERTY_SEED to replay a reported failure.
 */
const RUNS = Number(process.env.SWY_PROPERTY_RUNS ?? 500);
const SEED = Number(process.env.SWY_PROPERTY_SEED ?? Date.now() % 2 ** 31);
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

/** What a reader gives, in a form `toEqual` compares exactly (-0 and NaN included). */
function readout(documents: readonly ReadDocument[]): unknown[] {
  return documents.map((document) => ({
    number: document.number,
    problem: document.problem?.text,
    value: document.value,
    ...(document.value === null || document.value === undefined ? {} : { line: document.line, ...fieldsOf(document) }),
  }));
}

/** A document's field lines, as recorded and by path. */
function fieldsOf(document: ReadDocument): { lines: number[]; byPath: Array<[string, number]> } {
  const lines = document.fields!.lines();
  return { lines: [...lines], byPath: [...expandFieldLines(document.value, lines)].sort() };
}

type Reader = (text: string) => FastYaml | undefined;

/** The fast readers' answer (or one reader's), checked against `yaml`'s; whether it took the text. */
function expectSameAsYaml(text: string, reader?: Reader): boolean {
  const fast = readDocumentsFast(text, reader);
  if (fast === undefined) return false;
  const slow = readDocumentsWithYaml(text);
  expect(slow.filter((document) => document.problem !== undefined).map((document) => document.problem?.text)).toEqual([]);
  const fastReadout = readout(fast);
  const slowReadout = readout(slow);
  expect(fastReadout).toStrictEqual(slowReadout);
  return true;
}

const MANIFEST = `# a comment before the document
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: "default"
  annotations:
    kubernetes.io/ingress.class: 'switchyard'
    "80": port-like key
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
        - path: /
          pathType: Prefix
          backend: { service: { name: web, port: { number: 80 } } }

        - path: /cart   # trailing comment
          pathType: Exact
          backend:
            service:
              name: web
              port: {number: 0x50}
---
{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80, "targetPort": 8080}]}}
`;

describe('the fast reader and yaml agree', () => {
  test.each([
    ['a block and flow manifest, a JSON document, comments and blank lines', MANIFEST],
    ['CRLF line breaks', MANIFEST.replaceAll('\n', '\r\n')],
    ['a byte order mark', `\ufeff${MANIFEST}`],
    ['empty and comment-only documents, explicit ends', '---\n---\n# only a comment\n---\na: 1\n...\n---\nb: [2]\n...\n'],
    ['documents that start on their marker line', '--- {a: 1}\n--- [1, 2]\n--- text\n'],
    ['YAML 1.2 core scalars', 'a: [0o17, 017, 0x1F, 0b101, 1_000, 1e3, .5, 0., -0, +12, .inf, -.Inf, .NaN, 1.50, ~, null, Null, yes, on, True, tRue, 2026-01-01]\n'],
    ['keys that are not names', '1: a\n"2": b\ntrue: c\n1.5: d\n"a.b": e\n\'x y\': f\n~: g\n__proto__: {h: 1}\n'],
    ['sequences without indentation, nested and compact', 'a:\n- x\n- y: 1\n  z: 2\n-   - n\n    - m\n- - o\n'],
    ['multi-line scalars', 'a: this is\n  a long\n  plain\nb: "double\n  quoted"\nc: \'single\n\n  q\'\nd: |\n  lit\ne: >-\n  fold\n  ed\n'],
    ['empty values', 'a:\nb: \nc: ~\nd:\n  e:\n'],
    ['nested flow collections', 'a: { b: [1, {c: d}], e: {} , f: [] }\ng: [ [ ], [[1]] ]\n'],
    ['block scalar items (their line is their indicator line)', 'a:\n- |\n  text\n- >-\n\n  folded\n- | # c\n  x\n- |\n- b\n-   |2\n    x\nc: |+\n\n'],
    ['a kind: List', 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: a}\n  - {apiVersion: v1, kind: Service, metadata: {name: b}}\n'],
  ])('%s: read fast, and the same as yaml', (_what, text) => {
    expect(expectSameAsYaml(text)).toBe(true);
  });

  test.each([
    ['an alias', 'a: &x {b: 1}\nc: *x\n'],
    ['an explicit tag', 'a: !!str 5\n'],
    ['a directive', '%YAML 1.1\n---\na: yes\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['keys that are one name to an object', '1: a\n"1": b\n'],
    ['a key that is a collection', '[a]: b\n'],
    ['an empty item', 'a:\n- \n- b\n'],
    ['a syntax error', 'a: [1, 2\nb: c\n'],
    ['a tab as indentation', 'a:\n\tb: 1\n'],
    ['a CR alone as a line break', 'a: 1\rb: 2\r'],
    ['an implicit key of over 1024 characters', `${'k'.repeat(1100)}: 1\n`],
    ['an end marker that ends no document', '...\n---\na: 1\n'],
  ])('%s: left to yaml', (_what, text) => {
    expect(readDocumentsFast(text)).toBeUndefined();
  });

  test("the repository's own YAML files are read fast, and the same as yaml", () => {
    const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: REPO, encoding: 'utf8' }).trim().split('\n');
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      expect.soft(expectSameAsYaml(readFileSync(`${REPO}${file}`, 'utf8')), file).toBe(true);
    }
  });

  test('any scalar: the same value, or left to yaml', () => {
    const scalar = fc.stringMatching(/^[-+0-9._eEoxXabcdfinINAFtTrRuUlL~ :#'"]{0,8}$/);
    fc.assert(
      fc.property(scalar, (source) => {
        expectSameAsYaml(`v: ${source}\n`);
        expectSameAsYaml(`- ${source}\n`);
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );
  });

  test('any JSON value written by yaml in any style, with comments and blank lines: the same, or left to yaml', () => {
    const key = fc.oneof(fc.constantFrom('apiVersion', 'kind', 'metadata', 'name', 'spec', 'a.b/c', '80', 'x y', ''), fc.string({ maxLength: 6 }));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 0 }), tie('map'), tie('list')),
      map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
      list: fc.array(tie('node'), { maxLength: 4 }),
    })).node;
    const style: fc.Arbitrary<ToStringOptions> = fc.record({
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
      defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
      indent: fc.integer({ min: 1, max: 4 }),
      indentSeq: fc.boolean(),
      lineWidth: fc.constantFrom(0, 20, 80),
    }) as fc.Arbitrary<ToStringOptions>;
    const decorate = fc.record({ comments: fc.boolean(), blankLines: fc.boolean(), crlf: fc.boolean(), markers: fc.constantFrom('---', '--- # c', '...\n---') });
    let fast = 0;
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 3 }), style, decorate, (values, options, { comments, blankLines, crlf, markers }) => {
        let text = values.map((v) => stringify(v, options)).join(`${markers}\n`);
        if (comments) text = text.replace(/\n/g, '  # note\n');
        if (blankLines) text = text.replace(/\n/g, '\n\n');
        if (crlf) text = text.replace(/\n/g, '\r\n');
        if (expectSameAsYaml(text)) fast++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The comparison means something only if most texts are read fast.
    expect(fast).toBeGreaterThan(RUNS / 3);
  });
});

/** A block-style manifest as kubectl and people write it: what the block reader is for. */
const BLOCK_MANIFEST = `# a comment before the document
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: "default"
  labels: {}
  annotations:
    kubernetes.io/ingress.class: 'switchyard'
    note: 'it''s "quoted"'
    escaped: "a\\tb \\"c\\" \\u00e9 \\\\ \\/"
    80: port-like key
    0x10: hex key
    ~: null key
    url: http://example.com/a#b?c=d:e
spec:
  tls: []
  rules:
  - host: shop.example.com
    http:
      paths:
        - path: /
          pathType: Prefix
          backend:
            service:
              name: web
              port:
                number: 80

        - path: /cart   # trailing comment
          pathType: "Exact"
          weight: -1.5e3
          enabled: true
          nothing:
          flags:
            - on
            - 0o17
            - .inf
            - ''
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    -   port: 80
        targetPort: 8080
`;

describe('the block reader and yaml agree', () => {
  const block: Reader = readBlockYaml;

  test.each([
    ['a block manifest: comments, blank lines, quoting, empty collections, keys that are not names', BLOCK_MANIFEST],
    ['CRLF line breaks', BLOCK_MANIFEST.replaceAll('\n', '\r\n')],
    ['no line break at the end, a marker before the first document', `---\n${BLOCK_MANIFEST.trimEnd()}`],
    ['a root sequence and a __proto__ key', '- a: 1\n  __proto__: 2\n- b\n'],
    ['indented roots and sequences at their key\'s indent', '  a:\n  - 1\n  b: x\n'],
    ['quoted keys, nested sequences on one line, values on the line after their key', '"a": 1\n\'b c\' : []\nd:\n- - x\n  - - y\ne:\n  []\nf:\n  "g"\n'],
    ['comments after keys that open a block, or have no value', 'a: # c\n  b: 1\nc: # d\ne:   #\n- 1\n'],
  ])('%s: read by the block reader, and the same as yaml', (_what, text) => {
    expect(expectSameAsYaml(text, block)).toBe(true);
  });

  test.each([
    ['a multi-line plain scalar', 'a: this is\n  long\n'],
    ['a multi-line quoted scalar', 'a: "two\n  lines"\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a flow collection with content', 'a: {b: 1}\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['keys that are one name to an object', '1: a\n01: b\n'],
    ['an empty item', 'a:\n-\n- b\n'],
    ['a quoted key with content after its colon', '"a":1\n'],
    ['an alias, an anchor, a tag', 'a: *x\n'],
    ['an escape it does not read', 'a: "\\x41"\n'],
    ['a character outside ASCII', 'a: é\n'],
    ['a tab', 'a:\tb\n'],
    ['a marker with content', '--- a: 1\n'],
    ['an empty document', 'a: 1\n---\n'],
    ['a root scalar', 'text\n'],
    ['a value that would be a key', 'a: b: c\n'],
    ['a line indented between levels', 'a:\n    b: 1\n  c: 2\n'],
  ])('%s: left to the other readers', (_what, text) => {
    expect(readBlockYaml(text)).toBeUndefined();
  });

  test("the repository's own YAML files: the same as yaml, or left to the other readers; most read", () => {
    const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: REPO, encoding: 'utf8' }).trim().split('\n');
    let read = 0;
    for (const file of files) if (expectSameAsYaml(readFileSync(`${REPO}${file}`, 'utf8'), block)) read++;
    expect(read).toBeGreaterThan(files.length / 2);
  });

  test('any scalar: the same value, or left to the other readers', () => {
    const scalar = fc.stringMatching(/^[-+0-9._eEoxXabcdfinINAFtTrRuUlL~ :#'"{}[\]\\]{0,8}$/);
    fc.assert(
      fc.property(scalar, (source) => {
        expectSameAsYaml(`v: ${source}\n`, block);
        expectSameAsYaml(`- ${source}\n`, block);
        expectSameAsYaml(`${source}: v\n`, block);
        expectSameAsYaml(`- ${source}: v\n`, block);
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );
  });

  test('any manifest-like value written by yaml in block style: the same, and mostly read by the block reader', () => {
    const word = fc.stringMatching(/^[a-zA-Z0-9][-a-zA-Z0-9._/:# ]{0,10}$/);
    const key = fc.oneof(fc.constantFrom('apiVersion', 'kind', 'metadata', 'name', 'spec', 'a.b/c', '80', 'x y', 'true', '~'), word);
    const scalar = fc.oneof(word, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('', '80', 'true', '0x1F', '1e3', 'null', "it's", 'a "b"', 'a\\b'));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('list')),
      map: fc.dictionary(key, tie('node'), { minKeys: 1, maxKeys: 5 }),
      list: fc.array(tie('node'), { maxLength: 4 }),
    })).map;
    const style: fc.Arbitrary<ToStringOptions> = fc.record({
      collectionStyle: fc.constant('block'),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
      defaultKeyType: fc.constantFrom(null, 'PLAIN'),
      indent: fc.integer({ min: 1, max: 4 }),
      indentSeq: fc.boolean(),
      lineWidth: fc.constant(0),
    }) as fc.Arbitrary<ToStringOptions>;
    const decorate = fc.record({ comments: fc.boolean(), blankLines: fc.boolean(), crlf: fc.boolean() });
    let read = 0;
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 3 }), style, decorate, (values, options, { comments, blankLines, crlf }) => {
        let text = values.map((v) => stringify(v, options)).join('---\n');
        if (comments) text = text.replace(/\n/g, '  # note\n');
        if (blankLines) text = text.replace(/\n/g, '\n\n');
        if (crlf) text = text.replace(/\n/g, '\r\n');
        if (expectSameAsYaml(text, block)) read++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(read).toBeGreaterThan(RUNS / 4);
  });

  test('a block manifest with random edits: the same as yaml, or left to the other readers', () => {
    const lines = BLOCK_MANIFEST.split('\n');
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('insert' as const), line: fc.nat(), column: fc.nat(), text: fc.constantFrom(' ', '  ', ':', ': ', '- ', '#', ' #', '"', "'", '\\', '{', '}', '[', ']', '---', 'a', '1', '.', '~') }),
      fc.record({ kind: fc.constant('delete' as const), line: fc.nat(), column: fc.nat(), length: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('dropLine' as const), line: fc.nat() }),
      fc.record({ kind: fc.constant('copyLine' as const), line: fc.nat(), to: fc.nat() }),
    );
    let read = 0;
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        const text = [...lines];
        for (const e of edits) {
          const at = e.line % text.length;
          const line = text[at]!;
          if (e.kind === 'insert') text[at] = line.slice(0, e.column % (line.length + 1)) + e.text + line.slice(e.column % (line.length + 1));
          else if (e.kind === 'delete') text[at] = line.slice(0, e.column % (line.length + 1)) + line.slice((e.column % (line.length + 1)) + e.length);
          else if (e.kind === 'dropLine') text.splice(at, 1);
          else text.splice(e.to % text.length, 0, line);
        }
        if (expectSameAsYaml(text.join('\n'), block)) read++;
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );
    expect(read).toBeGreaterThan(RUNS);
  });

  test('the block manifest is one js-yaml\'s event reader takes too: were the line reader to leave it, it would still not go to yaml', () => {
    expect(readYamlFast(BLOCK_MANIFEST)).toBeDefined();
  });
});
