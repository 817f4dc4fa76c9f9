import { editDistance, suggest } from '../../../dsl/diagnostics/suggest.js';

describe('editDistance', () => {
  test.each([
    ['cab', 'cab', 0],
    ['cab', 'cabb', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['budget', 'budegt', 2],
  ])('when comparing `%s` with `%s`, then the distance is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
  });

  test('when the distance exceeds the limit, then it stops early with limit + 1', () => {
    expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
  });
});

describe('suggest', () => {
  test('when a name is one typo away, then the candidate is suggested', () => {
    expect(suggest('it_directr', ['cab', 'it_director', 'security'])).toBe('it_director');
  });

  test('when only the case differs, then that candidate wins', () => {
    expect(suggest('CAB', ['cap', 'cab'])).toBe('cab');
  });

  test('when nothing is within 0.4 of the length, then nothing is suggested', () => {
    expect(suggest('budget', ['risk', 'title', 'requester'])).toBeUndefined();
  });

  test('when a short name is far shorter than the candidates, then no wild guess is made', () => {
    expect(suggest('x', ['xy_long', 'ab'])).toBeUndefined();
  });
});
