// No import cycles: a folder reads as a stack of concepts only if its files depend one way. The
// rule follows relative imports from disk (type-only ones too: a cycle of types is a cycle of
// concepts) and reports the import that closes a cycle back to the file being linted, naming the
// whole loop. eslint.layers.js adds it for the source folders; test/unit/layering.test.ts shows
// it bites.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const SPECIFIERS =
  /(?:^|\n)\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** The file a relative specifier names (`./x.js` is `./x.ts` or `./x.tsx` in the sources). */
function fileOf(from, spec) {
  const base = resolve(dirname(from), spec);
  const stem = base.replace(/\.js$/, '');
  for (const candidate of [`${stem}.ts`, `${stem}.tsx`, base, `${base}/index.ts`]) {
    if (/\.tsx?$/.test(candidate) && existsSync(candidate)) return candidate;
  }
  return null;
}

/** Imports per file, read once per lint run (a run lints one snapshot of the tree). */
const edgeCache = new Map();

function importsOf(file) {
  let edges = edgeCache.get(file);
  if (edges === undefined) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // A file that vanished while linting has no imports.
    }
    edges = [];
    for (const match of text.matchAll(SPECIFIERS)) {
      const target = fileOf(file, match[1] ?? match[2]);
      if (target !== null) edges.push(target);
    }
    edgeCache.set(file, edges);
  }
  return edges;
}

/** A path of imports from `start` back to `goal`, or null. */
function pathBetween(start, goal) {
  const seen = new Set([start]);
  const stack = [[start, [start]]];
  while (stack.length > 0) {
    const [file, path] = stack.pop();
    for (const next of importsOf(file)) {
      if (next === goal) return path;
      if (!seen.has(next)) {
        seen.add(next);
        stack.push([next, [...path, next]]);
      }
    }
  }
  return null;
}

const noImportCycle = {
  meta: { type: 'problem', schema: [], docs: { description: 'forbid import cycles between files' } },
  create(context) {
    const file = resolve(context.filename);
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = fileOf(file, spec);
      if (target === null) return;
      const path = target === file ? [] : pathBetween(target, file);
      if (path === null) return;
      const loop = [file, ...path, file].map((f) => relative(process.cwd(), f)).join(' -> ');
      context.report({ node, message: `import cycle: ${loop}` });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export const cyclePlugin = { rules: { 'no-import-cycle': noImportCycle } };
