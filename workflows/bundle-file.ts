// The interpreter's workflow bundle kept in a file (CHARTER_WORKFLOW_BUNDLE): bundling (webpack over
// workflows/definitions, engine/ and the Temporal workflow SDK) takes a worker 3-4 s at every start
// and twice that in CPU. The file starts with the sha256 of everything that can change the bundle (the
// sources it is built from, the bundler's settings in workflows/worker.ts, the locked dependency
// versions), so a worker only ever runs a bundle of its own sources: when the key differs (an
// upgrade, an edit) it bundles again and replaces the file. Written to a temporary name and
// renamed: workers starting together may each build it, and none reads half a file.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowBundle } from '@temporalio/worker';
import { bundleCharterWorkflows } from './worker.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What the bundle is made of: every TypeScript source under these folders, and these files. */
const SOURCE_DIRS = ['engine', 'workflows'];
const SOURCE_FILES = ['package-lock.json', 'tsconfig.json'];
/**
 * A kept bundle starts with its key in a comment, on the first line: the SDK reads the source map
 * from the very end, and a line of its own would shift every line the map points at.
 */
const keyComment = (key: string): string => `/* charter workflow sources: ${key} */`;

export type BundleFileOutcome =
  { kind: 'read' } | { kind: 'built'; why: string } | { kind: 'built, not kept'; why: string; error: string };

/** sha256 over the paths and contents of the bundle's sources, in a fixed order. */
export function workflowSourcesKey(root = ROOT): string {
  const hash = createHash('sha256');
  const files = [
    ...SOURCE_DIRS.flatMap((dir) => typeScriptUnder(path.join(root, dir))),
    ...SOURCE_FILES.map((f) => path.join(root, f)),
  ];
  for (const file of files.sort()) {
    hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

/**
 * The bundle kept in `file` when it was built from these sources; else a new one, kept there (a
 * file that cannot be written is not fatal: the worker runs the bundle it built).
 */
export async function workflowBundleFromFile(
  file: string,
): Promise<{ bundle: WorkflowBundle; outcome: BundleFileOutcome }> {
  const key = workflowSourcesKey();
  const kept = readIfThere(file);
  if (kept?.startsWith(keyComment(key))) return { bundle: { code: kept }, outcome: { kind: 'read' } };
  const why = kept === null ? 'none kept yet' : 'the kept one is of other sources';
  const code = `${keyComment(key)}${(await bundleCharterWorkflows()).code}`;
  const partial = `${file}.${process.pid}.partial`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(partial, code);
    renameSync(partial, file);
  } catch (error) {
    try {
      rmSync(partial, { force: true });
    } catch {
      // Its folder could not be made either: there is nothing to remove.
    }
    const message = error instanceof Error ? error.message : String(error);
    return { bundle: { code }, outcome: { kind: 'built, not kept', why, error: message } };
  }
  return { bundle: { code }, outcome: { kind: 'built', why } };
}

/** A worker's bundle (kept in `file`, or built when there is none) and how its log says so. */
export async function bundleForWorker(
  file: string | undefined,
): Promise<{ bundle: WorkflowBundle; says: string }> {
  if (file === undefined) {
    return { bundle: await bundleCharterWorkflows(), says: 'built at start (no CHARTER_WORKFLOW_BUNDLE)' };
  }
  const { bundle, outcome } = await workflowBundleFromFile(file);
  return { bundle, says: describeBundleOutcome(file, outcome) };
}

function describeBundleOutcome(file: string, outcome: BundleFileOutcome): string {
  switch (outcome.kind) {
    case 'read':
      return `read from ${file}`;
    case 'built':
      return `built (${outcome.why}), kept in ${file}`;
    case 'built, not kept':
      return `built (${outcome.why}), not kept in ${file}: ${outcome.error}`;
  }
}

function readIfThere(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function typeScriptUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptUnder(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}
