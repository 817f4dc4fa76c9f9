// IR snapshots: the compiled form of every shipped policy is kept in test/golden/ir, so that any
// change to what the compiler emits (and so to every policy hash) shows up in review as a diff.
// Refresh with `UPDATE_GOLDEN=1` and read the diff before committing it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { compileEntry } from '../../../dsl/index.js';
import { diskHost } from '../../../dsl/cli/files.js';

const update = process.env['UPDATE_GOLDEN'] === '1';
const policies = readdirSync('policies')
  .filter((name) => name.endsWith('.charter'))
  .sort();

describe('IR snapshots', () => {
  test.each(policies)('when %s is compiled, then the IR matches its snapshot byte for byte', (name) => {
    const { compiled } = compileEntry(`policies/${name}`, diskHost);
    const snapshot = `test/golden/ir/${name.replace(/\.charter$/, '.json')}`;
    const text = JSON.stringify(compiled, null, 2) + '\n';

    if (update) writeFileSync(snapshot, text);
    if (!existsSync(snapshot)) throw new Error(`${snapshot} is missing: run with UPDATE_GOLDEN=1`);
    expect(text).toBe(readFileSync(snapshot, 'utf8'));
  });

  test('when the snapshots are listed, then each belongs to a shipped policy', () => {
    const expected = policies.map((name) => name.replace(/\.charter$/, '.json'));

    expect(readdirSync('test/golden/ir').sort()).toEqual(expected);
  });
});
