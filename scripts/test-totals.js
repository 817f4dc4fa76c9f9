// Prints the closing line of `npm test`: "N passed, N failed[, N skipped]", summed over the jest
// result files given as arguments. A stage that failed without jest results (lint, typecheck, a
// jest run that crashed) counts as one failure each, so the line never reads clean after a failure.
// The stages on Node 24 (scripts/test-node24.sh: jest-*-node24.json, stages *-node24) are in the
// total, and also counted on a line of their own just before it.
//
//   node scripts/test-totals.js --failed-stages=lint,typecheck results-unit.json results-int.json
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const failedStages = [];
const node24 = { files: 0, passed: 0, failed: 0 };
const onNode24 = (stage) => stage.endsWith('-node24');

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
  if (onNode24(stageOf(arg))) {
    node24.files += 1;
    node24.passed += results.numPassedTests;
    node24.failed += results.numFailedTests + results.numRuntimeErrorTestSuites;
  }
}

const jestCovered = new Set(
  process.argv
    .slice(2)
    .filter((a) => existsSync(a))
    .map(stageOf),
);
for (const stage of failedStages) {
  if (jestCovered.has(stage)) continue;
  failed += 1;
  if (onNode24(stage)) node24.failed += 1;
}

if (failedStages.length > 0) console.log(`failed stages: ${failedStages.join(', ')}`);
if (node24.files > 0 || failedStages.some(onNode24)) {
  console.log(
    `on Node 24 (scripts/test-node24.sh): ${node24.passed} passed, ${node24.failed} failed, in the total below`,
  );
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);

// jest-unit.json is stage unit; jest-unit-node24.json is stage unit-node24 (scripts/test-node24.sh).
function stageOf(file) {
  return /jest-([\w-]+)\.json$/.exec(file)?.[1] ?? file;
}
