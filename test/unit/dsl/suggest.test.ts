import { closeMatches, editDistance, suggest } from '../../../dsl/diagnostics/suggest.js';

describe('editDistance', () => {
  test.each([
    ['cab', 'cab', 0],
    ['cab', 'cabb', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['budget', 'budegt', 1],
    ['wiat', 'wait', 1],
    ['fial', 'fail', 1],
    ['ab', 'ba', 1],
  ])('when comparing `%s` with `%s`, then the distance is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
  });

  test('when the distance exceeds the limit, then it stops early with limit + 1', () => {
    expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
  });

  test('when two letters are swapped at the limit, then the early exit does not miss it', () => {
    expect(editDistance('abdc', 'abcd', 1)).toBe(1);
    expect(editDistance('badc', 'abcd', 1)).toBe(2);
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

describe('closeMatches', () => {
  test('when several candidates are close, then all come back, the closest first and ties in order', () => {
    expect(closeMatches('no', ['none', 'not', 'on', 'to', 'nope'])).toEqual(['not', 'on', 'to']);
  });

  test('when a case-only match exists, then it comes before other close ones', () => {
    expect(closeMatches('Waits', ['wait', 'waits'])).toEqual(['waits', 'wait']);
  });

  test('when nothing is close, then the list is empty', () => {
    expect(closeMatches('procedure', ['process', 'policy'])).toEqual([]);
  });
});
