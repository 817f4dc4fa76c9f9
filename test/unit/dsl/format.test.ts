// The formatter's contract, checked on realistic messy policies: each formats to its reviewed
// golden file, formatting twice changes nothing, and the output means exactly what the input
// meant (same AST without positions) with every comment kept once, in order. Refresh the goldens
// with `UPDATE_GOLDEN=1` and review the diff like code.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { format } from '../../../dsl/format/index.js';
import {
  commentTexts,
  fixtureDir,
  fixtureNames,
  formatted,
  parseClean,
  readFixture,
  withoutSpans,
} from './format-support.js';

const update = process.env['UPDATE_GOLDEN'] === '1';

describe('format on the fixtures', () => {
  test('when the fixtures are listed, then there are several of them', () => {
    expect(fixtureNames.length).toBeGreaterThanOrEqual(4);
  });

  test.each(fixtureNames)('when %s is formatted, then the output matches its golden file', (name) => {
    const output = formatted(readFixture(name));
    const goldenFile = `${fixtureDir}/${name}.formatted.charter`;
    if (update) writeFileSync(goldenFile, output);
    if (!existsSync(goldenFile)) throw new Error(`${goldenFile} is missing: run with UPDATE_GOLDEN=1`);
    expect(output).toBe(readFileSync(goldenFile, 'utf8'));
  });

  test.each(fixtureNames)('when %s is formatted twice, then the second pass changes nothing', (name) => {
    const once = formatted(readFixture(name));
    expect(formatted(once)).toBe(once);
  });

  test.each(fixtureNames)('when %s is formatted, then the output parses to the same AST', (name) => {
    const input = readFixture(name);
    expect(withoutSpans(parseClean(formatted(input)))).toEqual(withoutSpans(parseClean(input)));
  });

  test.each(fixtureNames)('when %s is formatted, then every comment is kept once, in order', (name) => {
    const input = readFixture(name);
    expect(commentTexts(parseClean(formatted(input)))).toEqual(commentTexts(parseClean(input)));
  });

  test.each(fixtureNames)('when %s is formatted, then no line ends in whitespace or uses tabs', (name) => {
    const output = formatted(readFixture(name));
    expect(output.split('\n').filter((line) => /\s$|\t/.test(line))).toEqual([]);
    expect(output.endsWith('\n') && !output.endsWith('\n\n')).toBe(true);
    expect(output).not.toMatch(/\n\n\n/);
  });
});

describe('format on broken input', () => {
  test('when the source has a syntax error, then no text comes back and the errors do', () => {
    const result = format(
      'policy "x" version 1 effective 2026-01-01\nprocess p { approve a { by } }\n',
      'bad.charter',
    );
    expect(result.text).toBeNull();
    expect(result.diagnostics.some((d) => d.severity === 'error' && d.file === 'bad.charter')).toBe(true);
  });

  test('when a literal is malformed (a structure error), then the file is not formatted either', () => {
    const result = format('policy "x" version 1 effective 2026-02-30\n', 'bad.charter');
    expect(result.text).toBeNull();
  });

  test('when the file is empty, then the output is empty', () => {
    expect(format('', 'empty.charter')).toEqual({ text: '', diagnostics: [] });
  });
});
