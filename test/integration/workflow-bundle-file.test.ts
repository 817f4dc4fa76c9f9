// CHARTER_WORKFLOW_BUNDLE: a worker keeps its workflow bundle in a file and runs it only when it was
// built from the worker's own sources; otherwise it bundles again and replaces the file. Real
// bundling (webpack) and real files in a temporary folder.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleForWorker, workflowBundleFromFile, workflowSourcesKey } from '../../workflows/bundle-file.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'charter-bundle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a bundle is built and kept when none is, then read back unchanged without bundling again', async () => {
  const file = path.join(dir, 'fresh', 'workflow-bundle.js');
  const first = await workflowBundleFromFile(file);
  expect(first.outcome).toEqual({ kind: 'built', why: 'none kept yet' });
  const kept = readFileSync(file, 'utf8');
  expect(kept).toBe('code' in first.bundle ? first.bundle.code : null);
  expect(kept.startsWith(`/* charter workflow sources: ${workflowSourcesKey()} */`)).toBe(true);
  // The interpreter is in it (its workflow function by name).
  expect(kept).toContain('charterInstance');

  const again = await bundleForWorker(file);
  expect(again.says).toBe(`read from ${file}`);
  expect(again.bundle).toEqual({ code: kept });
}, 120_000);

test('a bundle kept for other sources is never run: it is built again and replaced', async () => {
  const file = path.join(dir, 'stale.js');
  // What an older checkout left: its code and its own key.
  writeFileSync(file, `/* charter workflow sources: ${'0'.repeat(32)} */globalThis.stale = true;\n`);
  const { bundle, outcome } = await workflowBundleFromFile(file);
  expect(outcome).toEqual({ kind: 'built', why: 'the kept one is of other sources' });
  const code = 'code' in bundle ? bundle.code : '';
  expect(code).not.toContain('globalThis.stale');
  expect(readFileSync(file, 'utf8')).toBe(code);
}, 120_000);

test('a file that cannot be written leaves the worker with the bundle it built, and says why', async () => {
  const blocker = path.join(dir, 'not-a-folder');
  writeFileSync(blocker, 'a file where the folder would be');
  const file = path.join(blocker, 'workflow-bundle.js');
  const { bundle, says } = await bundleForWorker(file);
  expect('code' in bundle && bundle.code.includes('charterInstance')).toBe(true);
  expect(says).toMatch(new RegExp(`^built \\(none kept yet\\), not kept in ${file}: .*(ENOTDIR|EEXIST)`));
}, 120_000);
