// The closing lines of `npm test` (scripts/test-totals.js), run as test.sh runs it, on jest result
// files written to a temp folder: the Node 24 stages of scripts/test-node24.sh count in the total
// and on a line of their own, and a failed stage with results is not counted twice.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'charter-totals-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A jest --json result file named jest-<stage>.json. */
function results(stage: string, passed: number, failed = 0): string {
  const file = path.join(dir, `jest-${stage}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      numPassedTests: passed,
      numFailedTests: failed,
      numRuntimeErrorTestSuites: 0,
      numPendingTests: 0,
      numTodoTests: 0,
    }),
  );
  return file;
}

const totals = (...args: string[]): string[] =>
  execFileSync(process.execPath, ['scripts/test-totals.js', ...args], { encoding: 'utf8' })
    .trimEnd()
    .split('\n');

describe('scripts/test-totals.js', () => {
  test('when only Node 20 stages ran, then the total is the only line', () => {
    expect(totals('--failed-stages=', results('unit', 10), results('browser', 3))).toEqual([
      '13 passed, 0 failed',
    ]);
  });

  test('when Node 24 stages ran, then they count in the total and on the line before it', () => {
    const files = [results('unit', 10), results('unit-node24', 10), results('walkthrough-node24', 7, 1)];

    expect(totals('--failed-stages=walkthrough-node24', ...files)).toEqual([
      'failed stages: walkthrough-node24',
      'on Node 24 (scripts/test-node24.sh): 17 passed, 1 failed, in the total below',
      '27 passed, 1 failed',
    ]);
  });

  test('when a Node 24 stage failed without results, then it counts as one failure there and in the total', () => {
    const missing = path.join(dir, 'absent', 'jest-unit-node24.json');

    expect(totals('--failed-stages=lint,unit-node24', results('unit', 10), missing)).toEqual([
      'failed stages: lint, unit-node24',
      'on Node 24 (scripts/test-node24.sh): 0 passed, 1 failed, in the total below',
      '10 passed, 2 failed',
    ]);
  });
});
