// Prints the closing line of `npm test`: "N passed, N failed[, N skipped]", summed over the jest
// result files given as arguments. A stage that failed without jest results (lint, typecheck, a
// jest run that crashed) counts as one failure each, so the line never reads clean after a failure.
//
//   node scripts/test-totals.js --failed-stages=lint,typecheck results-unit.json results-int.json
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const failedStages = [];

for (const arg of process.argv.slice(2)) {
  if (arg.startsWith('--failed-stages=')) {
    failedStages.push(...arg.slice('--failed-stages='.length).split(',').filter(Boolean));
    continue;
  }
  if (!existsSync(arg)) continue; // its stage is among --failed-stages
  const results = JSON.parse(readFileSync(arg, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests + results.numRuntimeErrorTestSuites;
  skipped += results.numPendingTests + results.numTodoTests;
}

const jestCovered = new Set(
  process.argv
    .slice(2)
    .filter((a) => existsSync(a))
    .map(stageOf),
);
for (const stage of failedStages) if (!jestCovered.has(stage)) failed += 1;

if (failedStages.length > 0) console.log(`failed stages: ${failedStages.join(', ')}`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);

function stageOf(file) {
  return /jest-(\w+)\.json$/.exec(file)?.[1] ?? file;
}
