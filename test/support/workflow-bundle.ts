// The interpreter's workflow bundle, built once per source state and shared by every test process.
// Bundling (webpack over workflows/definitions, engine/ and the Temporal workflow SDK) costs 3-4 s
// of CPU; the integration and browser suites each start workers, so `npm test` bundled the same
// code about eighty times, minutes of the two cores' time. The bundle is keyed by the sha256 of
// everything that can change it (the sources it is built from, the bundler's settings in
// workflows/worker.ts, the locked dependency versions), so an edit builds a new one and a stale
// one is never run. Written to a temporary name and renamed: suites that race build it twice, and
// never read half a file.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowBundle } from '@temporalio/worker';
import { bundleCharterWorkflows } from '../../workflows/worker.js';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
const CACHE_DIR = path.join(root, '.tools', 'cache', 'workflow-bundles');
/** What the bundle is made of: every source under these folders, and these files. */
const SOURCE_DIRS = ['engine', 'workflows'];
const SOURCE_FILES = ['package-lock.json', 'tsconfig.json'];

let inProcess: Promise<WorkflowBundle> | null = null;

/** The bundle `bundleCharterWorkflows()` builds, from the cache when the sources are unchanged. */
export function charterTestBundle(): Promise<WorkflowBundle> {
  inProcess ??= loadOrBuild().catch((error: unknown) => {
    inProcess = null;
    throw error;
  });
  return inProcess;
}

async function loadOrBuild(): Promise<WorkflowBundle> {
  const file = path.join(CACHE_DIR, `${sourcesKey()}.js`);
  try {
    return { code: readFileSync(file, 'utf8') };
  } catch {
    // Not built for these sources yet.
  }
  const bundle = await bundleCharterWorkflows();
  mkdirSync(CACHE_DIR, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, bundle.code);
  renameSync(partial, file);
  return bundle;
}

/** sha256 over the paths and contents of the bundle's sources, in a fixed order. */
export function sourcesKey(): string {
  const hash = createHash('sha256');
  const files = [
    ...SOURCE_DIRS.flatMap((dir) => filesUnder(path.join(root, dir))),
    ...SOURCE_FILES.map((f) => path.join(root, f)),
  ];
  for (const file of files.sort()) {
    hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}
