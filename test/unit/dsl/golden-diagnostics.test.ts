// TypeScript-style baselines: every broken policy in test/golden/diagnostics renders to exactly
// its `.expected` file (diagnostics with the underlined source), and every diagnostic code of the
// catalog has such a case. Refresh with `UPDATE_GOLDEN=1 npm run test:unit`; review the diff.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { checkEntry } from '../../../dsl/index.js';
import { allCodes, diagnosticsReference } from '../../../dsl/diagnostics/codes.js';
import { renderText } from '../../../dsl/diagnostics/render.js';
import { diskHost } from '../../../dsl/cli/files.js';

const dir = 'test/golden/diagnostics';
const update = process.env['UPDATE_GOLDEN'] === '1';
const cases = readdirSync(dir)
  .filter((name) => name.endsWith('.charter'))
  .sort();

describe('golden diagnostics', () => {
  test.each(cases)('when %s is checked, then the rendered diagnostics match the baseline', (name) => {
    const file = `${dir}/${name}`;
    const { diagnostics } = checkEntry(file, diskHost);
    const rendered = renderText(diagnostics, (f) => diskHost.readFile(f));
    const expectedFile = file.replace(/\.charter$/, '.expected');

    if (update) writeFileSync(expectedFile, rendered);
    if (!existsSync(expectedFile)) throw new Error(`${expectedFile} is missing: run with UPDATE_GOLDEN=1`);

    const code = name.slice(0, 6);
    expect(diagnostics.map((d) => d.code)).toContain(code);
    expect(rendered).toBe(readFileSync(expectedFile, 'utf8'));
  });

  test('when the catalog is compared with the cases, then every code has a broken-policy case', () => {
    const covered = new Set(cases.map((name) => name.slice(0, 6)));

    expect(allCodes.map((c) => c.code).filter((code) => !covered.has(code))).toEqual([]);
  });

  test('when codes are listed, then none repeats and the generated reference is current', () => {
    const codes = allCodes.map((c) => c.code);

    expect(new Set(codes).size).toBe(codes.length);
    expect(readFileSync('dsl/DIAGNOSTICS.md', 'utf8')).toBe(diagnosticsReference());
  });
});
