import { ERROR_CODES, SwitchyardError, compile, isSwitchyardError, loadManifests, type CompileOptions, type ErrorCode } from '@switchyard/core';
import { describe, expect, test } from 'vitest';
import { compileIngresses } from './helpers/ingress-builders.js';
import { ingress, prefix, rule, thrown } from '@switchyard/test-utils';

/** The error registry and the one error class (STYLE.md: Fastify's errors test). docs/errors.md is
 * generated from the registry and checked against it by scripts/test/errors-doc.test.ts. */

const CODES = Object.keys(ERROR_CODES) as ErrorCode[];

describe('the registry', () => {
  test.each(CODES)('%s is SWY_<AREA>_<WHAT> with a description', (code) => {
    expect(code).toMatch(/^SWY_[A-Z]+_[A-Z_]+[A-Z]$/);
    expect(ERROR_CODES[code].summary.length).toBeGreaterThan(10);
  });
});

describe('SwitchyardError', () => {
  test('carries code, statusCode, subject, field and cause', () => {
    const cause = new Error('underlying');
    const error = new SwitchyardError('SWY_REQUEST_BAD_PATH', 'bad path', {
      statusCode: 400,
      field: 'path',
      subject: { kind: 'Ingress', namespace: 'shop', name: 'web' },
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(SwitchyardError);
    expect(error).toMatchObject({
      name: 'SwitchyardError',
      code: 'SWY_REQUEST_BAD_PATH',
      statusCode: 400,
      field: 'path',
      subject: { kind: 'Ingress', namespace: 'shop', name: 'web' },
      cause,
    });
    expect(error.stack).toBeTypeOf('string');
  });

  test('leaves what it was not given undefined', () => {
    const error = new SwitchyardError('SWY_COMPILE_INVALID_OPTIONS', 'no');
    expect([error.statusCode, error.field, error.subject, error.cause]).toEqual([undefined, undefined, undefined, undefined]);
    expect('cause' in error).toBe(false);
  });

  test('only takes registered codes (checked by tsc)', () => {
    // @ts-expect-error: not a code of ERROR_CODES
    const error = new SwitchyardError('SWY_NO_SUCH_CODE', 'x');
    expect(error.code).toBe('SWY_NO_SUCH_CODE');
  });

  describe('instanceof across two installed copies', () => {
    // What another copy of @switchyard/core would throw: a different class, the same brand.
    class SwitchyardErrorFromAnotherCopy extends Error {
      readonly code: ErrorCode = 'SWY_REQUEST_BAD_HOST';
      readonly statusCode = 400;
      get [Symbol.for('switchyard.error')](): true {
        return true;
      }
    }

    test('an error of another copy is instanceof SwitchyardError', () => {
      const foreign = new SwitchyardErrorFromAnotherCopy('bad host');
      expect(foreign instanceof SwitchyardError).toBe(true);
      expect(isSwitchyardError(foreign)).toBe(true);
      expect(isSwitchyardError(foreign, 'SWY_REQUEST_BAD_HOST')).toBe(true);
      expect(isSwitchyardError(foreign, 'SWY_REQUEST_BAD_PATH')).toBe(false);
    });

    test('so is a plain object carrying the brand', () => {
      expect({ [Symbol.for('switchyard.error')]: true, code: 'SWY_REQUEST_BAD_PATH' } instanceof SwitchyardError).toBe(true);
    });

    test.each([
      ['a plain Error', new Error('x')],
      ['an Error with a SWY code but no brand', Object.assign(new Error('x'), { code: 'SWY_REQUEST_BAD_PATH' })],
      ['an object whose brand is not true', { [Symbol.for('switchyard.error')]: 'yes' }],
      ['a different symbol of the same description', { [Symbol('switchyard.error')]: true }],
      ['null', null],
      ['undefined', undefined],
      ['a string', 'SWY_REQUEST_BAD_PATH'],
    ])('%s is not', (_what, value) => {
      expect(value instanceof SwitchyardError).toBe(false);
      expect(isSwitchyardError(value)).toBe(false);
    });
  });

  test('isSwitchyardError narrows by code', () => {
    const error: unknown = new SwitchyardError('SWY_REQUEST_BAD_HOST', 'x', { statusCode: 400 });
    expect(isSwitchyardError(error, 'SWY_REQUEST_BAD_HOST')).toBe(true);
    expect(isSwitchyardError(error, 'SWY_REQUEST_BAD_PATH')).toBe(false);
    if (isSwitchyardError(error)) expect(error.statusCode).toBe(400);
  });
});

describe('what the API throws', () => {
  const { table } = compileIngresses([ingress('web', { rules: [rule('foo.com', prefix('/', 'web'))] })]);

  test.each([
    ['/%zz', 'an invalid percent-encoding'],
    ['/a%2', 'a truncated percent-encoding'],
    ['relative', 'no leading slash'],
    ['http://foo.com/', 'an absolute URL'],
    ['', 'an empty path'],
  ])('match(host, %j) throws SWY_REQUEST_BAD_PATH, status 400: %s', (path) => {
    const error = thrown(() => table.match('foo.com', path));
    expect(isSwitchyardError(error, 'SWY_REQUEST_BAD_PATH')).toBe(true);
    expect(error).toMatchObject({ statusCode: 400, field: 'path' });
  });

  test.each(['foo com', 'user@foo.com', 'foo.com:http', '[::1'])('match(%j, path) throws SWY_REQUEST_BAD_HOST, status 400', (host) => {
    const error = thrown(() => table.match(host, '/'));
    expect(isSwitchyardError(error, 'SWY_REQUEST_BAD_HOST')).toBe(true);
    expect(error).toMatchObject({ statusCode: 400, field: 'host' });
  });

  test('explain throws the same for a bad request', () => {
    expect(isSwitchyardError(thrown(() => table.explain('foo.com', 'x')), 'SWY_REQUEST_BAD_PATH')).toBe(true);
  });

  test.each([
    ['no options', undefined, 'ingresses'],
    ['ingresses not an array', { ingresses: 'x' }, 'ingresses'],
    ['an empty ingressClass', { ingresses: [], ingressClass: '' }, 'ingressClass'],
    ['ingressClasses not an array', { ingresses: [], ingressClasses: {} }, 'ingressClasses'],
    ['a fractional version', { ingresses: [], version: 1.5 }, 'version'],
    ['a pathMatcher that is no function', { ingresses: [], pathMatcher: 'trie' }, 'pathMatcher'],
    ['validated without a get method', { ingresses: [], validated: new Set() }, 'validated'],
  ])('compile() with %s throws SWY_COMPILE_INVALID_OPTIONS at %s', (_what, options, field) => {
    const error = thrown(() => compile(options as unknown as CompileOptions));
    expect(isSwitchyardError(error, 'SWY_COMPILE_INVALID_OPTIONS')).toBe(true);
    expect(error).toMatchObject({ field });
  });

  test('loadManifests() of no string throws SWY_MANIFEST_INVALID_OPTIONS', () => {
    const error = thrown(() => loadManifests(Buffer.from('a: 1') as unknown as string));
    expect(isSwitchyardError(error, 'SWY_MANIFEST_INVALID_OPTIONS')).toBe(true);
  });
});
