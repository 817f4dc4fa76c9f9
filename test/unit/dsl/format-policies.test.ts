// The shipped policies are the formatter's reference layout: each must already be formatted, so
// that `charter fmt policies` is a no-op and a diff of a policy only ever shows a change of meaning.
import { readdirSync, readFileSync } from 'node:fs';
import { formatted } from './format-support.js';

const policyDir = 'policies';

const policyFiles = readdirSync(policyDir, { recursive: true })
  .map(String)
  .filter((name) => name.endsWith('.charter'))
  .sort();

describe('format on the shipped policies', () => {
  test('when the policy directory is listed recursively, then the shared library is among the files', () => {
    expect(policyFiles).toContain('shared/org.charter');
    expect(policyFiles.length).toBeGreaterThanOrEqual(7);
  });

  test.each(policyFiles)('when %s is formatted, then nothing changes', (name) => {
    const text = readFileSync(`${policyDir}/${name}`, 'utf8');
    expect(formatted(text)).toBe(text);
  });
});
