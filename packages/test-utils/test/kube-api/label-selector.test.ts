import { describe, expect, test } from 'vitest';
import { matchesLabels, parseLabelSelector, SelectorError } from '@switchyard/test-utils';

const labels = { app: 'web', tier: 'front', version: '3' };

describe('label selectors', () => {
  test.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=api', false],
    ['app!=api', true],
    ['missing!=x', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['app in (api, web)', true],
    ['app notin (api,web)', false],
    ['missing notin (a)', true],
    ['app=web,tier=back', false],
    ['version>2', true],
    ['version<3', false],
    ['example.com/role=x', false],
  ])('%j against %j', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  test.each(['app in (', 'a b', 'app=in valid', 'version>x'])('%j is rejected', (selector) => {
    expect(() => parseLabelSelector(selector)).toThrow(SelectorError);
  });
});
