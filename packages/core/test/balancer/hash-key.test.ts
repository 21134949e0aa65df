import { hashKeyOf, type HashOn, type RequestHeaders } from '@switchyard/core';
import { describe, expect, test } from 'vitest';

const HEADER: HashOn = { header: 'x-user' };
const COOKIE: HashOn = { cookie: 'session' };
const ADDRESS: HashOn = { clientAddress: true };

describe('hashKeyOf', () => {
  test.each<[string, RequestHeaders, string | undefined]>([
    ['a header', { 'x-user': 'alice' }, 'alice'],
    ['the first of a repeated header', { 'x-user': ['alice', 'bob'] }, 'alice'],
    ['a missing header', { 'x-other': 'alice' }, undefined],
    ['an undefined header', { 'x-user': undefined }, undefined],
    ['an empty header', { 'x-user': '' }, undefined],
    ['a header repeated as an empty array', { 'x-user': [] }, undefined],
    ['a value with spaces, as is', { 'x-user': 'a b' }, 'a b'],
  ])('header: %s', (_what, headers, expected) => {
    expect(hashKeyOf(HEADER, headers, '10.1.1.1')).toBe(expected);
  });

  test.each<[string, string | string[] | undefined, string | undefined]>([
    ['the only cookie', 'session=abc', 'abc'],
    ['among several', 'theme=dark; session=abc; lang=en', 'abc'],
    ['the last one', 'theme=dark; session=abc', 'abc'],
    ['without spaces after ;', 'theme=dark;session=abc;lang=en', 'abc'],
    ['with spaces and tabs around name and value', 'theme=dark ;\t session = abc \t; lang=en', 'abc'],
    ['a quoted value, quotes removed', 'session="abc"; lang=en', 'abc'],
    ['a lone quote kept', 'session="; lang=en', '"'],
    ['a value holding =', 'session=a=b==; lang=en', 'a=b=='],
    ['the first of two of the same name', 'session=first; session=second', 'first'],
    ['a name that only ends like it', 'mysession=x; session=abc', 'abc'],
    ['a name that only starts like it', 'session2=x; session=abc', 'abc'],
    ['a value that looks like the name', 'other=session; session=abc', 'abc'],
    ['a pair without = skipped', 'flag; session=abc', 'abc'],
    ['names compared case-sensitively', 'SESSION=abc', undefined],
    ['missing', 'theme=dark; lang=en', undefined],
    ['empty', 'session=; lang=en', undefined],
    ['empty quotes', 'session=""', undefined],
    ['an empty header', '', undefined],
    ['no Cookie header', undefined, undefined],
    ['in the second of repeated headers', ['theme=dark', 'session=abc'], 'abc'],
    ['in the first of repeated headers', ['session=abc', 'session=def'], 'abc'],
  ])('cookie: %s', (_what, cookie, expected) => {
    expect(hashKeyOf(COOKIE, cookie === undefined ? {} : { cookie }, '10.1.1.1')).toBe(expected);
  });

  test.each<[string | undefined, string | undefined]>([
    ['10.1.1.1', '10.1.1.1'],
    ['2001:db8::1', '2001:db8::1'],
    ['', undefined],
    [undefined, undefined],
  ])('client address %j gives %j', (address, expected) => {
    expect(hashKeyOf(ADDRESS, { 'x-user': 'alice', cookie: 'session=abc' }, address)).toBe(expected);
  });
});
