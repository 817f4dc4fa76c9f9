// IR snapshots: the compiled form of every shipped policy is kept in test/golden/ir, so that any
// change to what the compiler emits (and so to every policy hash) shows up in review as a diff.
// Language forms that no shipped policy uses yet have a case of their own in test/golden/ir/cases
// (`<name>.charter` beside its `<name>.json`). Refresh with `UPDATE_GOLDEN=1` and read the diff
// before committing it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { compileEntry } from '../../../dsl/index.js';
import { diskHost } from '../../../dsl/cli/files.js';

const update = process.env['UPDATE_GOLDEN'] === '1';
const policies = readdirSync('policies')
  .filter((name) => name.endsWith('.charter'))
  .sort();

const casesDir = 'test/golden/ir/cases';
const cases = readdirSync(casesDir)
  .filter((name) => name.endsWith('.charter'))
  .sort();

/** Compiles `source` and compares (or, with UPDATE_GOLDEN, writes) its snapshot. */
function expectSnapshot(source: string, snapshot: string): void {
  const { compiled } = compileEntry(source, diskHost);
  const text = JSON.stringify(compiled, null, 2) + '\n';

  if (update) writeFileSync(snapshot, text);
  if (!existsSync(snapshot)) throw new Error(`${snapshot} is missing: run with UPDATE_GOLDEN=1`);
  expect(text).toBe(readFileSync(snapshot, 'utf8'));
}

describe('IR snapshots', () => {
  test.each(policies)('when %s is compiled, then the IR matches its snapshot byte for byte', (name) => {
    expectSnapshot(`policies/${name}`, `test/golden/ir/${name.replace(/\.charter$/, '.json')}`);
  });

  test('when the snapshots are listed, then each belongs to a shipped policy', () => {
    const expected = policies.map((name) => name.replace(/\.charter$/, '.json'));
    const snapshots = readdirSync('test/golden/ir').filter((name) => name.endsWith('.json'));

    expect(snapshots.sort()).toEqual(expected);
  });

  test.each(cases)('when the language case %s is compiled, then the IR matches its snapshot', (name) => {
    expectSnapshot(`${casesDir}/${name}`, `${casesDir}/${name.replace(/\.charter$/, '.json')}`);
  });

  test('when the language cases are listed, then each snapshot has its case', () => {
    const snapshots = readdirSync(casesDir).filter((name) => name.endsWith('.json'));

    expect(snapshots.sort()).toEqual(cases.map((name) => name.replace(/\.charter$/, '.json')));
  });
});
