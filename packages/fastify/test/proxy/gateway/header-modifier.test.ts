import type { HeaderModifier } from '@switchyard/core';
import { describe, expect, test } from 'vitest';
import { modifyRequestHeaders, modifyResponseHeaders } from '../../../src/proxy/gateway/header-modifier.js';

interface ModifierInput {
  readonly set?: ReadonlyArray<readonly [string, string]>;
  readonly add?: ReadonlyArray<readonly [string, string]>;
  readonly remove?: readonly string[];
}

/** A HeaderModifier as the compiler makes it: names lowercased, `names` filled in. */
function modifier({ set = [], add = [], remove = [] }: ModifierInput): HeaderModifier {
  const lower = (entries: ReadonlyArray<readonly [string, string]>) => entries.map(([name, value]) => [name.toLowerCase(), value] as const);
  const names = new Set([...set.map(([name]) => name.toLowerCase()), ...add.map(([name]) => name.toLowerCase()), ...remove.map((name) => name.toLowerCase())]);
  return { set: lower(set), add: lower(add), remove: remove.map((name) => name.toLowerCase()), names };
}

/** The headers as the conformance suite compares them: by lowercase name, the values of every line joined with `,`. */
function joined(list: readonly string[]): Record<string, string> {
  const byName: Record<string, string> = {};
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i]!.toLowerCase();
    byName[name] = byName[name] === undefined ? list[i + 1]! : `${byName[name]},${list[i + 1]!}`;
  }
  return byName;
}

function flat(headers: Record<string, string>): string[] {
  return Object.entries(headers).flat();
}

const multiple = modifier({
  set: [['X-Header-Set-1', 'header-set-1'], ['X-Header-Set-2', 'header-set-2']],
  add: [['X-Header-Add-1', 'header-add-1'], ['X-Header-Add-2', 'header-add-2'], ['X-Header-Add-3', 'header-add-3']],
  remove: ['X-Header-Remove-1', 'X-Header-Remove-2'],
});

// The request → expected behaviours of Gateway API conformance's httproute-request-header-modifier
// (the `/set`, `/add`, `/remove`, `/multiple` and `/case-insensitivity` rules).
const requestCases: Array<[string, HeaderModifier, Record<string, string>, Record<string, string>, string[]]> = [
  ['set adds a missing header', modifier({ set: [['X-Header-Set', 'set-overwrites-values']] }), { 'Some-Other-Header': 'val' }, { 'some-other-header': 'val', 'x-header-set': 'set-overwrites-values' }, []],
  ['set overwrites a present header', modifier({ set: [['X-Header-Set', 'set-overwrites-values']] }), { 'Some-Other-Header': 'val', 'X-Header-Set': 'some-other-value' }, { 'some-other-header': 'val', 'x-header-set': 'set-overwrites-values' }, []],
  ['add adds a missing header', modifier({ add: [['X-Header-Add', 'add-appends-values']] }), { 'Some-Other-Header': 'val' }, { 'some-other-header': 'val', 'x-header-add': 'add-appends-values' }, []],
  ['add appends to a present header', modifier({ add: [['X-Header-Add', 'add-appends-values']] }), { 'Some-Other-Header': 'val', 'X-Header-Add': 'some-other-value' }, { 'some-other-header': 'val', 'x-header-add': 'some-other-value,add-appends-values' }, []],
  ['remove drops a header', modifier({ remove: ['X-Header-Remove'] }), { 'X-Header-Remove': 'val' }, {}, ['x-header-remove']],
  [
    'set, add and remove together',
    multiple,
    { 'X-Header-Set-2': 'set-val-2', 'X-Header-Add-2': 'add-val-2', 'X-Header-Remove-2': 'remove-val-2', 'Another-Header': 'another-header-val' },
    { 'x-header-set-1': 'header-set-1', 'x-header-set-2': 'header-set-2', 'x-header-add-1': 'header-add-1', 'x-header-add-2': 'add-val-2,header-add-2', 'x-header-add-3': 'header-add-3', 'another-header': 'another-header-val' },
    ['x-header-remove-1', 'x-header-remove-2'],
  ],
  [
    'names compare case-insensitively',
    modifier({ set: [['X-Header-Set', 'header-set']], add: [['X-Header-Add', 'header-add']], remove: ['X-Header-Remove'] }),
    { 'x-header-set': 'original-val-set', 'x-header-add': 'original-val-add', 'x-header-remove': 'original-val-remove', 'Another-Header': 'another-header-val' },
    { 'x-header-set': 'header-set', 'x-header-add': 'original-val-add,header-add', 'another-header': 'another-header-val' },
    ['x-header-remove'],
  ],
];

describe('modifyRequestHeaders: conformance behaviours', () => {
  test.each(requestCases)('%s', (_name, mod, input, expected, absent) => {
    const list = flat(input);
    modifyRequestHeaders(mod, list);
    const seen = joined(list);
    expect(seen).toEqual(expect.objectContaining(expected));
    for (const name of absent) expect(seen).not.toHaveProperty(name);
    expect(Object.keys(seen)).toHaveLength(Object.keys(expected).length);
  });
});

describe('modifyResponseHeaders: conformance behaviours', () => {
  test.each(requestCases)('%s', (_name, mod, input, expected, absent) => {
    const list = flat(input);
    modifyResponseHeaders(mod, list);
    const seen = joined(list);
    expect(seen).toEqual(expect.objectContaining(expected));
    for (const name of absent) expect(seen).not.toHaveProperty(name);
  });

  test('added names of any case come out once each (the /case-insensitivity rule of httproute-response-header-modifier)', () => {
    const mod = modifier({
      set: [['X-Header-Set', 'header-set']],
      add: [
        ['X-Header-Add', 'header-add'],
        ['x-lowercase-add', 'lowercase-add'],
        ['x-Mixedcase-ADD-1', 'mixedcase-add-1'],
        ['X-mixeDcase-add-2', 'mixedcase-add-2'],
        ['X-UPPERCASE-ADD', 'uppercase-add'],
      ],
      remove: ['X-Header-Remove'],
    });
    const head = flat({ 'x-header-set': 'original-val-set', 'x-header-add': 'original-val-add', 'x-header-remove': 'original-val-remove', 'Another-Header': 'another-header-val' });
    modifyResponseHeaders(mod, head);
    expect(joined(head)).toEqual({
      'x-header-set': 'header-set',
      'x-header-add': 'original-val-add,header-add',
      'x-lowercase-add': 'lowercase-add',
      'x-mixedcase-add-1': 'mixedcase-add-1',
      'x-mixedcase-add-2': 'mixedcase-add-2',
      'x-uppercase-add': 'uppercase-add',
      'another-header': 'another-header-val',
    });
  });

  test('the upstream also sent a header the modifier removes (the /multiple rule)', () => {
    const head = flat({ 'X-Header-Set-2': 'set-val-2', 'X-Header-Add-2': 'add-val-2', 'X-Header-Remove-2': 'remove-val-2', 'Another-Header': 'another-header-val', 'X-Header-Remove-1': 'val' });
    modifyResponseHeaders(multiple, head);
    expect(joined(head)).toEqual({
      'x-header-set-1': 'header-set-1',
      'x-header-set-2': 'header-set-2',
      'x-header-add-1': 'header-add-1',
      'x-header-add-2': 'add-val-2,header-add-2',
      'x-header-add-3': 'header-add-3',
      'another-header': 'another-header-val',
    });
  });
});

describe('the list after a modifier, line by line', () => {
  test('untouched headers keep their order, spelling and values; a set header takes its first line’s place', () => {
    const list = ['User-Agent', 'curl', 'X-Set', 'a', 'Accept', '*/*', 'x-set', 'b', 'X-Remove', 'r', 'host', 'example.com'];
    modifyRequestHeaders(modifier({ set: [['x-set', 'new']], remove: ['x-remove'] }), list);
    expect(list).toEqual(['User-Agent', 'curl', 'X-Set', 'new', 'Accept', '*/*', 'host', 'example.com']);
  });

  test('add joins onto the last line of a header sent on several lines', () => {
    const list = ['x-tag', 'a', 'other', '1', 'X-Tag', 'b'];
    modifyRequestHeaders(modifier({ add: [['x-tag', 'c']] }), list);
    expect(list).toEqual(['x-tag', 'a', 'other', '1', 'X-Tag', 'b,c']);
  });

  test('headers the modifier adds are appended, lowercase, in the order it lists them', () => {
    const list = ['accept', '*/*'];
    modifyRequestHeaders(modifier({ set: [['X-B', 'set']], add: [['X-A', 'add']] }), list);
    expect(list).toEqual(['accept', '*/*', 'x-b', 'set', 'x-a', 'add']);
  });

  test('an add onto an empty value is the added value alone', () => {
    const list = ['x-empty', ''];
    modifyRequestHeaders(modifier({ add: [['x-empty', 'v']] }), list);
    expect(list).toEqual(['x-empty', 'v']);
  });

  test('remove then add: the header is replaced by the added value', () => {
    const list = ['x-h', 'old', 'x-h', 'older'];
    modifyRequestHeaders(modifier({ remove: ['x-h'], add: [['x-h', 'new']] }), list);
    expect(list).toEqual(['x-h', 'new']);
  });

  test('set then add on one name: the set value with the added one appended', () => {
    const list = ['x-h', 'old'];
    modifyRequestHeaders(modifier({ set: [['x-h', 's']], add: [['x-h', 'a']] }), list);
    expect(list).toEqual(['x-h', 's,a']);
    const absent = ['other', '1'];
    modifyRequestHeaders(modifier({ set: [['x-h', 's']], add: [['x-h', 'a']] }), absent);
    expect(absent).toEqual(['other', '1', 'x-h', 's,a']);
  });

  test('of two entries for one name in one list, the first counts', () => {
    const list: string[] = [];
    modifyRequestHeaders(modifier({ set: [['X-H', 'first'], ['x-h', 'second']] }), list);
    expect(list).toEqual(['x-h', 'first']);
  });

  test('a modifier that names nothing present and adds nothing leaves the list as it was', () => {
    const list = ['a', '1', 'b', '2'];
    const before = [...list];
    modifyRequestHeaders(modifier({ remove: ['x-absent'] }), list);
    expect(list).toEqual(before);
    modifyRequestHeaders(modifier({}), list);
    expect(list).toEqual(before);
  });

  test('one modifier applied to many lists starts afresh each time', () => {
    const mod = modifier({ set: [['x-s', 'S']], add: [['x-a', 'A']] });
    const first = ['x-s', 'old', 'x-a', 'old'];
    modifyRequestHeaders(mod, first);
    const second = ['other', 'v'];
    modifyRequestHeaders(mod, second);
    const third = ['x-a', 'mine'];
    modifyRequestHeaders(mod, third);
    expect(first).toEqual(['x-s', 'S', 'x-a', 'old,A']);
    expect(second).toEqual(['other', 'v', 'x-s', 'S', 'x-a', 'A']);
    expect(third).toEqual(['x-a', 'mine,A', 'x-s', 'S']);
  });
});

describe('headers of their own kind', () => {
  test('Cookie: an added pair joins the request’s Cookie line with "; "', () => {
    const list = ['cookie', 'a=1; b=2'];
    modifyRequestHeaders(modifier({ add: [['Cookie', 'c=3']] }), list);
    expect(list).toEqual(['cookie', 'a=1; b=2; c=3']);
  });

  test('Set-Cookie: an added cookie is a line of its own, never comma-joined', () => {
    const head = ['set-cookie', 'a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT', 'content-type', 'text/plain'];
    modifyResponseHeaders(modifier({ add: [['Set-Cookie', 'b=2']] }), head);
    expect(head).toEqual(['set-cookie', 'a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT', 'content-type', 'text/plain', 'set-cookie', 'b=2']);
  });

  test('Set-Cookie: set then add gives two lines', () => {
    const head = ['set-cookie', 'a=1', 'set-cookie', 'b=2'];
    modifyResponseHeaders(modifier({ set: [['set-cookie', 's=1']], add: [['set-cookie', 'x=2']] }), head);
    expect(head).toEqual(['set-cookie', 's=1', 'set-cookie', 'x=2']);
  });

  test('the proxy’s own request headers and framing headers are out of a modifier’s reach', () => {
    const list = ['content-length', '5', 'x-custom', 'v', 'host', 'app.example', 'x-forwarded-for', '10.0.0.1', 'x-forwarded-proto', 'http', 'x-request-id', 'id-1'];
    const before = [...list];
    modifyRequestHeaders(
      modifier({
        set: [['Host', 'evil.example'], ['Content-Length', '0'], ['X-Request-Id', 'mine']],
        add: [['X-Forwarded-For', '1.2.3.4'], ['Transfer-Encoding', 'chunked'], ['Connection', 'close']],
        remove: ['X-Forwarded-Proto', 'Forwarded', 'Expect'],
      }),
      list,
    );
    expect(list).toEqual(before);
  });

  test('framing and the request id are out of a response modifier’s reach; other headers are not', () => {
    const head = ['content-length', '2', 'x-request-id', 'id-1', 'server', 'up'];
    modifyResponseHeaders(modifier({ set: [['Content-Length', '0'], ['Server', 'switchyard']], add: [['Transfer-Encoding', 'chunked']], remove: ['X-Request-Id'] }), head);
    expect(head).toEqual(['content-length', '2', 'x-request-id', 'id-1', 'server', 'switchyard']);
  });
});
