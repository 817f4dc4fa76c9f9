// Replay safety of the interpreter: every history recorded by scripts/record-histories.ts (real
// runs of the shipped policies' scenarios) must replay against today's workflow code without a
// determinism error. A change that would break running instances fails here; guard it with
// patched() and record a new history next to the old ones (test/fixtures/histories/README.md).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { historyFromJSON, type History } from '../../scripts/history-json.js';
import { charterTestBundle } from '../support/workflow-bundle.js';
import { bundleWorkflows, useQuietTemporalRuntime } from '../support/temporal.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const HISTORIES = path.resolve(here, '../fixtures/histories');
const DIVERGENT = path.join(here, 'fixtures', 'replay-divergent-workflows.ts');

/** Every shipped policy must have recorded histories; deleting them cannot make this pass. */
const POLICIES = readdirSync(path.resolve(here, '../../policies'))
  .filter((f) => f.endsWith('.charter'))
  .map((f) => f.replace(/\.charter$/, ''));

const files = readdirSync(HISTORIES)
  .filter((f) => f.endsWith('.json'))
  .sort();

function load(file: string): History {
  return historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8')));
}

const workflowIdOf = (file: string): string => file.replace(/\.json$/, '');

describe('recorded histories replay against the current interpreter', () => {
  let bundle: WorkflowBundle;

  beforeAll(async () => {
    useQuietTemporalRuntime();
    bundle = await charterTestBundle();
  }, 120_000);

  test('there are recorded histories, for every shipped policy', () => {
    expect(files.length).toBeGreaterThan(0);
    const missing = POLICIES.filter((p) => !files.some((f) => f.startsWith(`${p}--`)));
    expect(missing).toEqual([]);
  });

  test('every recorded history replays without a determinism error', async () => {
    expect(files.length).toBeGreaterThan(0);
    const histories = files.map((file) => ({ history: load(file), workflowId: workflowIdOf(file) }));
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  }, 120_000);

  test('the guard bites: a history replayed against different workflow code is a determinism error', async () => {
    const [file] = files;
    if (file === undefined) throw new Error(`no recorded histories in ${HISTORIES}`);
    const divergent = await bundleWorkflows(DIVERGENT);
    const replay = Worker.runReplayHistory({ workflowBundle: divergent }, load(file), workflowIdOf(file));
    await expect(replay).rejects.toBeInstanceOf(DeterminismViolationError);
  }, 120_000);
});
